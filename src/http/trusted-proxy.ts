/**
 * Whether a peer is one of the configured proxies (server.trustedProxies), whose forwarding headers
 * are believed. One matcher for every reader of those headers (the client address that rate limits
 * and lock-out key on, the public origin that signatures and the URLs in answers use, the header
 * rules for upstreams), so they never disagree about who is a proxy.
 */

/**
 * One spelling per address, so a proxy matches however it is configured or reported: IPv6 is
 * case-insensitive (RFC 4291 section 2.2), a configured list may carry spaces, and a dual-stack
 * socket reports an IPv4 peer as IPv4-mapped IPv6 ("::ffff:10.0.0.1" is the proxy "10.0.0.1").
 */
export function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function isTrustedProxy(peer: string | null | undefined, trustedProxies: readonly string[]): boolean {
  if (!peer || trustedProxies.length === 0) return false;
  const p = normaliseAddress(peer);
  return p !== '' && trustedProxies.some((t) => normaliseAddress(t) === p);
}
