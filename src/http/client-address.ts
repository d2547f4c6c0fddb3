import type { Context } from './context';
import { isTrustedProxy, normaliseAddress } from './trusted-proxy';

/**
 * The socket peer's address: as read when the request started (request-context.ts), since node
 * detaches the socket from a request whose connection closed before its access line is written.
 */
export function peerAddress(ctx: Context): string {
  return normaliseAddress(ctx.state?.peer ?? ctx.req.socket?.remoteAddress ?? 'unknown');
}

/**
 * The caller's address: the socket peer, or the nearest untrusted hop of X-Forwarded-For when the peer
 * is a configured proxy. Rate limits key on it, so a client can't pick its own address.
 */
export function clientAddress(ctx: Context, trustedProxies: readonly string[]): string {
  const peer = peerAddress(ctx);
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
