import type { Context } from './context';
import { isTrustedProxy, normaliseAddress } from './trusted-proxy';

/**
 * The caller's address: the socket peer, or the nearest untrusted hop of X-Forwarded-For when the peer
 * is a configured proxy. Rate limits key on it, so a client can't pick its own address.
 */
export function clientAddress(ctx: Context, trustedProxies: readonly string[]): string {
  const peer = normaliseAddress(ctx.req.socket.remoteAddress ?? 'unknown');
  if (!isTrustedProxy(peer, trustedProxies)) return peer;
  const hops = ctx
    .get('x-forwarded-for')
    .split(',')
    .map(normaliseAddress)
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrustedProxy(hops[i], trustedProxies)) return hops[i];
  }
  return hops[0] ?? peer;
}
