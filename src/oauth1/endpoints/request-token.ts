import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { randomToken, tokenDigest } from '../../crypto';
import { percentEncode } from '../encoding';
import { callbackRefusal } from '../callback';
import { parameterRejected } from '../problems';
import { publicBase } from '../../http/public-base';
import { verifySignedRequest, type OAuth1Deps } from '../verify-request';
import { sendForm } from './respond';

/**
 * Temporary credentials (RFC 5849 section 2.1, WebEx "Get Request Token"), signed with the
 * consumer secret alone.
 *
 * The callback must be one the consumer's registration covers (src/oauth1/callback.ts): without
 * that, anyone holding the consumer's key and secret could send the verifier to their own site
 * while the consent page names the real consumer.
 */

type Deps = OAuth1Deps & Pick<GatewayDeps, 'metrics'>;

export function requestTokenEndpoint(deps: Deps) {
  return async function requestToken(ctx: Context): Promise<void> {
    const { params, consumer } = await verifySignedRequest(ctx, deps, { kind: 'request_token' });
    // checks.ts requires oauth_callback for this kind.
    const callback = params.callback as string;
    const refusal = callbackRefusal(callback, consumer);
    if (refusal !== null) throw parameterRejected(['oauth_callback'], refusal);
    const now = deps.clock();
    const token = randomToken();
    const secret = randomToken();
    await deps.store.requestTokens.insert({
      digest: tokenDigest(token),
      consumerKey: consumer.key,
      secretEnc: deps.secrets.seal(secret),
      callback,
      verifierDigest: null,
      userId: null,
      authorizedAt: null,
      deniedAt: null,
      usedAt: null,
      expiresAt: now + deps.config.lifetimes.oauth1RequestToken * 1000,
      createdAt: now,
    });
    deps.metrics.tokensIssued.inc({ protocol: 'oauth1', grant: 'request_token' });
    ctx.state.log?.info({ consumerKey: consumer.key }, 'oauth1 request token issued');
    sendForm(ctx, [
      ['oauth_token', token],
      ['oauth_token_secret', secret],
      ['oauth_callback_confirmed', 'true'],
      ['xoauth_user_auth_url', `${publicBase(ctx, deps)}/oauth/user_auth?oauth_token=${percentEncode(token)}`],
    ]);
  };
}
