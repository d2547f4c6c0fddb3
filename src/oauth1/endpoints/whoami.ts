import type { Context } from '../../http/context';
import type { CredentialCheck } from '../../identity';
import { setNoStore } from '../../http/security-headers';
import { parameterList, OAuth1Problem } from '../problems';

/** GET /oauth/whoami: a protected resource of the gateway's own, answering who the signed request is from. */
export function whoamiEndpoint(check: CredentialCheck) {
  return async function whoami(ctx: Context): Promise<void> {
    const identity = await check(ctx);
    if (!identity) {
      throw new OAuth1Problem('parameter_absent', {
        status: 401,
        advice: 'Sign this request with an OAuth 1.0a access token.',
        extra: { oauth_parameters_absent: parameterList(['oauth_consumer_key', 'oauth_token', 'oauth_signature_method', 'oauth_signature']) },
      });
    }
    setNoStore(ctx);
    ctx.body = identity;
    ctx.state.outcome = 'ok';
  };
}
