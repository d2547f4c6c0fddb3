import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { publicBase } from '../http/public-base';
import { firstValue, type HeaderMap } from './headers';

/**
 * Fields that would make the upstream do something other than what the gateway checked (another
 * path, another method): dropped from everyone, configured proxies included, since the route and the
 * method the gateway authorised are the request's own.
 */
export const requestRewritingFields: readonly string[] = [
  'x-original-url',
  'x-original-uri',
  'x-rewrite-url',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
];

/**
 * What a proxy in front of us may tell the upstream about the original request: client address,
 * scheme, host, port, path prefix. From anyone else these are lies the upstream might believe, so
 * they are dropped unless the peer is in server.trustedProxies.
 */
export const forwardingFields: readonly string[] = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-protocol',
  'x-forwarded-scheme',
  'x-forwarded-ssl',
  'x-forwarded-host',
  'x-forwarded-server',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-original-host',
  'x-real-ip',
  'x-client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'x-cluster-client-ip',
  'fastly-client-ip',
  'front-end-https',
  'x-url-scheme',
];

export const viaToken = '1.1 oauth-gateway';


/** The scheme and authority the upstream is told the client used. */
export interface ForwardedOrigin {
  proto: 'http' | 'https';
  host: string;
}

function originParts(origin: string): ForwardedOrigin {
  const start = origin.indexOf('://') + 3;
  const slash = origin.indexOf('/', start);
  return { proto: origin.startsWith('https:') ? 'https' : 'http', host: slash < 0 ? origin.slice(start) : origin.slice(start, slash) };
}

/**
 * X-Forwarded-Proto and -Host come from the public base (src/http/public-base.ts): the configured
 * public URL, else a trusted proxy's word, else the listen address; never the client's Host header,
 * which would let it steer links and cache keys the upstream builds. A configured URL is parsed
 * once, by the runtime (GatewayDeps.origin).
 */
export function forwardedOrigin(deps: Pick<GatewayDeps, 'origin'>): (ctx: Context) => ForwardedOrigin {
  const { configured } = deps.origin;
  if (configured) {
    const fixed = originParts(configured.origin);
    return () => fixed;
  }
  return (ctx) => originParts(publicBase(ctx, deps));
}

/**
 * Sets X-Forwarded-For/-Proto/-Host and Via on the upstream request. A configured proxy's chain is
 * extended; any other peer starts a fresh one, so the upstream only ever sees addresses we vouch for.
 * `trusted` says whether the peer is a configured proxy (whose forwarding fields were kept).
 */
export function setForwardingHeaders(ctx: Context, headers: HeaderMap, peer: string, trusted: boolean, origin: ForwardedOrigin): void {
  const incoming = ctx.req.headers;
  const chain = trusted ? firstValue(incoming['x-forwarded-for']) : undefined;
  headers['x-forwarded-for'] = chain ? `${chain}, ${peer}` : peer;
  headers['x-forwarded-proto'] = origin.proto;
  headers['x-forwarded-host'] = origin.host;
  const via = incoming.via;
  headers.via = via ? `${Array.isArray(via) ? via.join(', ') : via}, ${viaToken}` : viaToken;
}
