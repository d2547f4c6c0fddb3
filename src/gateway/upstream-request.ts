import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { isTrustedProxy } from '../http/trusted-proxy';
import { peerAddress } from '../http/client-address';
import type { Identity } from '../identity';
import { withoutGatewayCookies } from './cookies';
import { forwardedOrigin, forwardingFields, requestRewritingFields, setForwardingHeaders, type ForwardedOrigin } from './forwarded';
import { copyHeaders, type HeaderMap } from './headers';
import { isIdentityField, setIdentityHeaders } from './identity-headers';

// Never copied from the client: the upstream's Host comes from its URL, undici refuses Expect (node
// already answered 100-continue), and the request id is the gateway's own.
const replacedFields = ['host', 'expect', 'x-request-id'];

/**
 * Which client fields are left out, one predicate per (peer trusted?, credentials forwarded?), built
 * once. Any name with "_" goes: servers that map fields to CGI-style variables (wsgiref, PHP, many
 * others) read X_Authenticated_User, X_Forwarded_For or X_Original_URL as the "-" spelling, so
 * no "_" name can be checked by its spelling. The others are compared as node gives them: lower case.
 */
function dropping(names: readonly string[]): (name: string) => boolean {
  const dropped = new Set(names);
  return (name) => dropped.has(name) || name.includes('_') || isIdentityField(name);
}
const fromTrusted = [...replacedFields, ...requestRewritingFields];
const fromUntrusted = [...fromTrusted, ...forwardingFields];
const drop = {
  trusted: dropping(fromTrusted),
  trustedWithoutCredentials: dropping([...fromTrusted, 'authorization']),
  untrusted: dropping(fromUntrusted),
  untrustedWithoutCredentials: dropping([...fromUntrusted, 'authorization']),
};

export interface HeaderPolicy {
  trustedProxies: readonly string[];
  origin: (ctx: Context) => ForwardedOrigin;
}

/** What the header rules need from the configuration, read once per gateway. */
export function headerPolicy(deps: Pick<GatewayDeps, 'origin'>): HeaderPolicy {
  return { trustedProxies: deps.origin.trustedProxies, origin: forwardedOrigin(deps) };
}

/**
 * The header fields the upstream receives, decided in one place and one pass: the client's
 * end-to-end fields minus hop-by-hop fields, any name with "_", identity fields, request-rewriting
 * fields (always), forwarding fields (unless from a configured proxy) and Authorization (unless the
 * route forwards credentials); the gateway's cookies are cut from Cookie; then the gateway's own
 * forwarding fields, the verified identity and the request id.
 */
export function upstreamRequestHeaders(ctx: Context, identity: Identity | null, forwardCredentials: boolean, policy: HeaderPolicy): HeaderMap {
  const peer = peerAddress(ctx);
  const trusted = isTrustedProxy(peer, policy.trustedProxies);
  const filter = trusted
    ? forwardCredentials
      ? drop.trusted
      : drop.trustedWithoutCredentials
    : forwardCredentials
      ? drop.untrusted
      : drop.untrustedWithoutCredentials;
  const headers = copyHeaders(ctx.req.headers, filter);
  const cookie = headers.cookie;
  if (typeof cookie === 'string') {
    const kept = withoutGatewayCookies(cookie);
    if (kept === null) delete headers.cookie;
    else headers.cookie = kept;
  }
  setForwardingHeaders(ctx, headers, peer, trusted, policy.origin(ctx));
  setIdentityHeaders(headers, identity);
  headers['x-request-id'] = ctx.state.requestId;
  return headers;
}
