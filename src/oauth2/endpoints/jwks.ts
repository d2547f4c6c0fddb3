import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import type { OAuth2Endpoint } from './types';

export const JWKS_PATH = '/oauth2/jwks';

// Relying parties may keep the set five minutes: a key is published as "next" one rotation before
// it signs, so rotations further apart than that never leave a token with an unknown kid.
const JWKS_MAX_AGE_SECONDS = 300;

function answerJwks(deps: GatewayDeps): Middleware {
  return async function answerJwks(ctx: Context): Promise<void> {
    ctx.set('Cache-Control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    ctx.type = 'application/jwk-set+json';
    ctx.body = await deps.signingKeys.jwks();
  };
}

/** GET /oauth2/jwks (RFC 7517 JWK Set): the public halves of the next, active and still-needed retired signing keys. */
export function jwksEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [JWKS_PATH],
    common: [routeName('oauth2.jwks'), answersIn('oauth2')],
    methods: { GET: [answerJwks(deps)] },
    announces: { as: 'jwks_uri' },
  };
}
