import type { Context } from './context';

function normalise(address: string): string {
  // IPv4-mapped IPv6 ("::ffff:127.0.0.1") and plain IPv4 name the same peer.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function isTrustedProxy(peer: string | undefined, trustedProxies: readonly string[]): boolean {
  if (!peer) return false;
  const p = normalise(peer);
  return trustedProxies.some((t) => normalise(t) === p);
}

/**
 * The caller's address: the socket peer, or the nearest untrusted hop of X-Forwarded-For when the peer
 * is a configured proxy. Rate limits key on it, so a client can't pick its own address.
 */
export function clientAddress(ctx: Context, trustedProxies: readonly string[]): string {
  const peer = normalise(ctx.req.socket.remoteAddress ?? 'unknown');
  if (!isTrustedProxy(peer, trustedProxies)) return peer;
  const hops = ctx
    .get('x-forwarded-for')
    .split(',')
    .map((h) => normalise(h.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrustedProxy(hops[i], trustedProxies)) return hops[i];
  }
  return hops[0] ?? peer;
}
