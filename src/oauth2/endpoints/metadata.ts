import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { issuerFor } from '../issuer';
import type { OAuth2Endpoint } from './types';

export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/**
 * RFC 8414 section 2 metadata, made only of what the endpoints announce: each one's URL under the
 * issuer, then their capabilities (lists that several endpoints give are joined, in order, without
 * repeats). scopes_supported is left out when no client has scopes.
 */
export function authorizationServerMetadata(issuer: string, endpoints: readonly OAuth2Endpoint[], scopes: readonly string[]): Record<string, unknown> {
  const announced = endpoints.flatMap((e) => (e.announces ? [{ path: e.paths[0], ...e.announces }] : []));
  // RFC 9207: every authorization response carries iss (authorize/response.ts).
  const metadata: Record<string, unknown> = { issuer, authorization_response_iss_parameter_supported: true };
  for (const { as, path } of announced) metadata[as] = issuer + path;
  const supports = new Map<string, Set<string>>();
  for (const { supports: lists = {} } of announced) {
    for (const [name, values] of Object.entries(lists)) {
      const joined = supports.get(name) ?? new Set<string>();
      for (const value of values) joined.add(value);
      supports.set(name, joined);
    }
  }
  for (const [name, values] of supports) metadata[name] = [...values];
  for (const { flags = {} } of announced) Object.assign(metadata, flags);
  if (scopes.length > 0) metadata.scopes_supported = [...scopes];
  return metadata;
}

/** Every scope some enabled client may ask for, sorted. */
export async function enabledScopes(deps: Pick<GatewayDeps, 'store'>): Promise<string[]> {
  const clients = await deps.store.clients.list();
  return [...new Set(clients.filter((c) => c.enabled).flatMap((c) => c.scopes))].sort();
}

function answerMetadata(deps: GatewayDeps, endpoints: readonly OAuth2Endpoint[]): Middleware {
  return async function answerMetadata(ctx: Context): Promise<void> {
    const scopes = await enabledScopes(deps);
    // Scopes change as clients are registered: a cache must ask again, but may keep the answer.
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = authorizationServerMetadata(issuerFor(ctx, deps), endpoints, scopes);
  };
}

/**
 * GET /.well-known/oauth-authorization-server, announcing `endpoints` (the ones mounted beside it).
 * The issuer is the gateway's public base (issuer.ts).
 */
export function metadataEndpoint(deps: GatewayDeps, endpoints: readonly OAuth2Endpoint[]): OAuth2Endpoint {
  return {
    paths: [METADATA_PATH],
    common: [routeName('oauth2.metadata'), answersIn('oauth2')],
    methods: { GET: [answerMetadata(deps, endpoints)] },
    announces: null,
  };
}
