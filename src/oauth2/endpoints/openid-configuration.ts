import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { CLAIMS_SUPPORTED } from '../../oidc/claims';
import { SIGNING_ALGS } from '../../oidc/keys';
import { issuerFor } from '../issuer';
import { authorizationServerMetadata, enabledScopes } from './metadata';
import type { OAuth2Endpoint } from './types';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';

/**
 * OpenID Connect Discovery 1.0 section 3: the RFC 8414 document (the same endpoints announce
 * themselves) plus what only an OpenID provider states. sub is the user's id for every client
 * ("public" subject type).
 */
export function openidProviderMetadata(issuer: string, endpoints: readonly OAuth2Endpoint[], scopes: readonly string[]): Record<string, unknown> {
  const metadata = authorizationServerMetadata(issuer, endpoints, [...new Set(['openid', ...scopes])].sort());
  return {
    ...metadata,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...SIGNING_ALGS],
    claims_supported: CLAIMS_SUPPORTED,
    claims_parameter_supported: false,
    request_parameter_supported: false,
  };
}

function answerMetadata(deps: GatewayDeps, endpoints: readonly OAuth2Endpoint[]): Middleware {
  return async function answerOpenidMetadata(ctx: Context): Promise<void> {
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = openidProviderMetadata(issuerFor(ctx, deps), endpoints, await enabledScopes(deps));
  };
}

/** GET /.well-known/openid-configuration, announcing the endpoints mounted beside it. */
export function openidConfigurationEndpoint(deps: GatewayDeps, endpoints: readonly OAuth2Endpoint[]): OAuth2Endpoint {
  return {
    paths: [OPENID_CONFIGURATION_PATH],
    common: [routeName('oauth2.openid_configuration'), answersIn('oauth2')],
    methods: { GET: [answerMetadata(deps, endpoints)] },
    announces: null,
  };
}
