import type { Context } from 'koa';
import { firstValue, type HeaderMap } from './headers';

// What a proxy in front of us may tell the upstream about the original request. From anyone else
// these are lies the upstream might believe (client address, scheme, host), so they are dropped.
const forwardingFields = new Set(['forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-real-ip']);

export const isForwardingField = (name: string): boolean => forwardingFields.has(name);

export const viaToken = '1.1 oauth-gateway';

export function peerAddress(ctx: Context): string {
  const peer = ctx.req.socket.remoteAddress ?? 'unknown';
  return peer.startsWith('::ffff:') ? peer.slice(7) : peer;
}

/**
 * Sets X-Forwarded-For/-Proto/-Host and Via on the upstream request. A configured proxy's chain is
 * extended; any other peer starts a fresh one, so the upstream only ever sees addresses we vouch for.
 * `trusted` says whether the peer is a configured proxy (whose forwarding fields were kept).
 */
export function setForwardingHeaders(ctx: Context, headers: HeaderMap, peer: string, trusted: boolean): void {
  const incoming = ctx.req.headers;
  const chain = trusted ? firstValue(incoming['x-forwarded-for']) : undefined;
  headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  const ownProto = (ctx.req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  headers['x-forwarded-proto'] = (trusted && firstValue(incoming['x-forwarded-proto'])) || ownProto;
  const host = (trusted && firstValue(incoming['x-forwarded-host'])) || incoming.host;
  if (host) headers['x-forwarded-host'] = host;
  const via = incoming.via;
  headers.via = via ? `${Array.isArray(via) ? via.join(', ') : via}, ${viaToken}` : viaToken;
}
