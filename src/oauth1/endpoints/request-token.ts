import type { Context } from 'koa';
import type { GatewayDeps } from '../../deps';
import { RequestToken } from '../../storage/entities';
import { randomToken, tokenDigest } from '../../crypto';
import { percentEncode } from '../encoding';
import { parameterRejected } from '../problems';
import { publicBase } from '../../http/public-base';
import { verifySignedRequest } from '../verify-request';
import { sendForm } from './respond';

/**
 * Temporary credentials (RFC 5849 section 2.1, WebEx "Get Request Token"), signed with the
 * consumer secret alone.
 *
 * The callback may differ from one registered with the consumer: WebEx Social and RFC 5849 let
 * every request name its own, so any absolute http(s) URL (or "oob") is accepted. The user sees
 * the consumer's name on the consent page before anything is sent there.
 */

type Deps = Pick<GatewayDeps, 'config' | 'store' | 'cache' | 'secrets' | 'clock' | 'metrics'>;

const MAX_CALLBACK_LENGTH = 2048; // the column's size

/** "oob" or an absolute http(s) URL of printable ASCII (it ends up in a Location header). */
export function acceptableCallback(value: string): boolean {
  if (value === 'oob') return true;
  if (value.length > MAX_CALLBACK_LENGTH || !/^[\x21-\x7e]+$/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

export function requestTokenEndpoint(deps: Deps) {
  return async function requestToken(ctx: Context): Promise<void> {
    const { params, consumer } = await verifySignedRequest(ctx, deps, { kind: 'request_token' });
    // checks.ts requires oauth_callback for this kind.
    const callback = params.callback as string;
    if (!acceptableCallback(callback)) {
      throw parameterRejected(['oauth_callback'], 'oauth_callback must be "oob" or an absolute http(s) URL.');
    }
    const now = deps.clock();
    const token = randomToken();
    const secret = randomToken();
    await deps.store.requestTokens.insert(
      Object.assign(new RequestToken(), {
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
      }),
    );
    deps.metrics.tokensIssued.inc({ protocol: 'oauth1', grant: 'request_token' });
    ctx.state.log?.info({ consumerKey: consumer.key }, 'oauth1 request token issued');
    sendForm(ctx, [
      ['oauth_token', token],
      ['oauth_token_secret', secret],
      ['oauth_callback_confirmed', 'true'],
      ['xoauth_user_auth_url', `${publicBase(ctx, deps.config)}/oauth/user_auth?oauth_token=${percentEncode(token)}`],
    ]);
  };
}
