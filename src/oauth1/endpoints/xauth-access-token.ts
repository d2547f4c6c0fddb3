import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { authenticateWithLockout } from '../../accounts/authenticate';
import { clientAddress } from '../../http/client-address';
import { OAuth1Problem, parameterRejected } from '../problems';
import { credentialsOf, findConsumer, readSignedRequest, requireFreshNonce, requireValidSignature, type OAuth1Deps } from '../verify-request';
import { accessAnswer, issueSessionAndToken } from './issue-tokens';
import { sendForm } from './respond';

/**
 * xAuth (WebEx "Get xAuth Access Token"): a trusted consumer trades a username and password for a
 * session and access token, signed with the consumer secret alone.
 *
 * Decisions: a consumer not marked for xAuth gets 403 permission_denied (after its signature is
 * checked, so nobody learns which consumers are trusted); a wrong password, an unknown user and a
 * disabled user all get the same 401 permission_denied; a locked-out username or address gets 429
 * permission_denied with Retry-After.
 */

type Deps = OAuth1Deps & Pick<GatewayDeps, 'metrics' | 'hashing' | 'lockout' | 'directory'>;

const CREDENTIALS = ['x_auth_username', 'x_auth_password', 'x_auth_mode'] as const;

const wrongCredentials = () =>
  new OAuth1Problem('permission_denied', { status: 401, advice: 'The username or password is wrong.' });

export function xauthGetRefused(): OAuth1Problem {
  return new OAuth1Problem('parameter_rejected', {
    status: 405,
    advice: 'xauth_access_token takes POST only: credentials do not belong in a URL that gets logged.',
    headers: { Allow: 'POST' },
  });
}

export function xauthAccessTokenEndpoint(deps: Deps) {
  return async function xauthAccessToken(ctx: Context): Promise<void> {
    const request = await readSignedRequest(ctx, deps, 'xauth');
    const { protocol, sources } = request.collected;
    const inHeader = CREDENTIALS.filter((name) => sources[name] === 'header');
    if (inHeader.length > 0) {
      throw parameterRejected(inHeader, 'x_auth_username, x_auth_password and x_auth_mode go in the body or the query, never in the Authorization header.');
    }
    if (request.params.token !== null) {
      throw parameterRejected(['oauth_token'], 'An xAuth request is signed with the consumer secret alone: send no oauth_token.');
    }
    const known = await findConsumer(deps, request.params.consumerKey, ctx.state);
    const { consumer } = known;
    requireValidSignature(ctx, deps, request, credentialsOf(known), null);
    await requireFreshNonce(deps, request.params);
    if (!consumer.xauth) throw new OAuth1Problem('permission_denied', { advice: 'This consumer is not allowed to use xAuth.' });

    const username = protocol.x_auth_username;
    const address = clientAddress(ctx, deps.config.server.trustedProxies);
    // A locked-out username or address throws LockedOutError: 429 permission_denied (http/conditions.ts).
    const user = await authenticateWithLockout(deps, username, protocol.x_auth_password, address);
    if (!user) throw wrongCredentials();

    const now = deps.clock();
    const issued = await deps.store.transaction((tx) => issueSessionAndToken(tx, deps, { consumer, userId: user.id, now }));
    deps.metrics.tokensIssued.inc({ protocol: 'oauth1', grant: 'xauth' });
    ctx.state.log?.info({ consumerKey: consumer.key, userId: user.id }, 'oauth1 xauth access token issued');
    sendForm(ctx, accessAnswer(ctx, deps, issued, now));
  };
}
