/**
 * The gateway's own cookies stay between the browser and the gateway. Every cookie the gateway sets
 * is named with the reserved prefix "gw_" (the session's gw_session and gw_session.sig, and any
 * later one), so the forwarded Cookie header is cleaned by name alone: an upstream never receives a
 * session it could replay against the gateway.
 */

// "__Host-" and "__Secure-" are browser-enforced name prefixes that may stand before ours.
const gatewayCookie = /^(?:__host-|__secure-)?gw_/i;

/**
 * Whether a ";"-separated pair is, or hides, one of ours. RFC 2965-style parsers (some Java and Python
 * ones) also split on ",", so "a=1, gw_session=X" is two cookies to them: the whole pair goes when any
 * ","-separated piece of it is named with our prefix.
 */
function isGatewayCookie(pair: string): boolean {
  if (gatewayCookie.test(pair.trimStart())) return true;
  return pair.includes(',') && pair.split(',').some((piece) => gatewayCookie.test(piece.trimStart()));
}

/**
 * The Cookie header without the gateway's cookies (the other pairs kept in order, each as it came but
 * trimmed, joined by "; "), or null when none is left.
 */
export function withoutGatewayCookies(header: string): string | null {
  // Fast path: a header that cannot name one of ours is forwarded as it came.
  if (!/gw_/i.test(header)) return header;
  const kept: string[] = [];
  for (const pair of header.split(';')) if (!isGatewayCookie(pair) && pair.trim() !== '') kept.push(pair.trim());
  return kept.length > 0 ? kept.join('; ') : null;
}
