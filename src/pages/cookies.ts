import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';

// The pages' cookies (gw_session, gw_csrf): signed with the app keys, HttpOnly, SameSite=Lax, on
// path /, Secure when the public URL is https. Every name starts with gw_ so the proxy can strip
// them all before a request reaches an upstream.

type CookieDeps = Pick<GatewayDeps, 'config'>;

function cookieOptions(deps: CookieDeps) {
  const secure = (deps.config.server.publicUrl ?? '').startsWith('https:');
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure, signed: true, overwrite: true };
}

/** Sets (or, with null, clears) one of the pages' cookies. */
export function setPageCookie(ctx: Context, deps: CookieDeps, name: string, value: string | null): void {
  const options = cookieOptions(deps);
  // TLS usually ends at a proxy in front of us: the browser's connection is https even though ours
  // is not, and the cookies module would otherwise refuse to set a Secure cookie.
  if (options.secure) ctx.cookies.secure = true;
  ctx.cookies.set(name, value, options);
}

/** A page cookie's value when its signature is good, else null. */
export function readPageCookie(ctx: Context, name: string): string | null {
  return ctx.cookies.get(name, { signed: true }) ?? null;
}
