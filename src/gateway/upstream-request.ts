import type { Context } from 'koa';
import { isTrustedProxy } from '../http/client-address';
import type { Identity } from '../identity';
import { isForwardingField, peerAddress, setForwardingHeaders } from './forwarded';
import { copyHeaders, type HeaderMap } from './headers';
import { isIdentityField, setIdentityHeaders } from './identity-headers';

// Never copied from the client: the upstream's Host comes from its URL, undici refuses Expect (node
// already answered 100-continue), and the request id is the gateway's own.
const replacedFields = new Set(['host', 'expect', 'x-request-id']);

/**
 * The header fields the upstream receives, decided in one place: the client's end-to-end fields
 * minus hop-by-hop fields, identity fields (always), forwarding fields (unless from a configured
 * proxy) and Authorization (unless the route forwards credentials); then the gateway's own
 * forwarding fields, the verified identity and the request id.
 */
export function upstreamRequestHeaders(
  ctx: Context,
  identity: Identity | null,
  options: { forwardCredentials: boolean; trustedProxies: readonly string[] },
): HeaderMap {
  const peer = peerAddress(ctx);
  const trusted = options.trustedProxies.length > 0 && isTrustedProxy(peer, options.trustedProxies);
  const headers = copyHeaders(
    ctx.req.headers,
    (name) =>
      replacedFields.has(name) ||
      isIdentityField(name) ||
      (!trusted && isForwardingField(name)) ||
      (!options.forwardCredentials && name === 'authorization'),
  );
  setForwardingHeaders(ctx, headers, peer, trusted);
  setIdentityHeaders(headers, identity);
  headers['x-request-id'] = ctx.state.requestId;
  return headers;
}
