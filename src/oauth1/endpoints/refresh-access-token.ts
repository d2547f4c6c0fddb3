import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import type { OAuth1AccessTokenRow } from '../../storage/types';
import { tokenDigest } from '../../crypto';
import { OAuth1Problem } from '../problems';
import { tokenRejected, verifySignedRequest, type OAuth1Deps, type TokenLookup } from '../verify-request';
import { accessAnswer, issueAccessToken } from './issue-tokens';
import { sendForm } from './respond';

/**
 * The session extension's refresh (WebEx "Refresh Access Token"): the old access token, expired or
 * not, plus oauth_session_handle, signed with the consumer secret and the old token secret. The old
 * token is retired and a new one issued in one transaction; caches here and on other nodes drop it.
 */

type Deps = OAuth1Deps & Pick<GatewayDeps, 'metrics' | 'logger' | 'revocations'>;

/** Finds the access token by digest whatever its expiry: expiry is exactly what refresh is for. */
function accessTokenLookup(deps: OAuth1Deps): TokenLookup<OAuth1AccessTokenRow> {
  return async (token, consumer) => {
    const record = await deps.store.oauth1AccessTokens.find(tokenDigest(token));
    if (!record || record.consumerKey !== consumer.key) throw tokenRejected();
    return { secret: deps.secrets.open(record.secretEnc), record };
  };
}

const tokenRevoked = () => new OAuth1Problem('token_revoked', { advice: 'This access token was already refreshed or revoked.' });
// One sentence for an unknown handle and another consumer's, so a handle's existence is not told.
const handleRefused = () => new OAuth1Problem('permission_denied', { advice: 'The session handle is not valid for this consumer and token.' });
const sessionEnded = () => new OAuth1Problem('permission_denied', { advice: 'The session has ended; the user must authorize again.' });

export function refreshAccessTokenEndpoint(deps: Deps) {
  return async function refreshAccessToken(ctx: Context): Promise<void> {
    const { params, consumer, token } = await verifySignedRequest(ctx, deps, { kind: 'refresh', token: accessTokenLookup(deps) });
    const old = token as OAuth1AccessTokenRow;
    const now = deps.clock();
    if (old.revokedAt !== null) throw tokenRevoked();

    // checks.ts requires oauth_session_handle for this kind.
    const handle = params.sessionHandle as string;
    const handleDigest = tokenDigest(handle);
    const session = await deps.store.oauth1Sessions.find(handleDigest);
    if (!session || session.consumerKey !== consumer.key || old.sessionDigest !== handleDigest) throw handleRefused();
    if (session.revokedAt !== null || session.expiresAt <= now) throw sessionEnded();
    const user = await deps.store.users.findById(session.userId);
    if (!user || !user.enabled) throw sessionEnded();

    const issued = await deps.store.transaction(async (tx) => {
      // Atomic: of two refreshes racing with the same old token, one wins.
      if (!(await tx.oauth1AccessTokens.revoke(old.digest, now))) throw tokenRevoked();
      return issueAccessToken(tx, deps, { consumer, userId: session.userId, session: { handle, handleDigest, expiresAt: session.expiresAt }, now });
    });
    await deps.revocations.tokensRevoked([old.digest]);
    deps.metrics.tokensIssued.inc({ protocol: 'oauth1', grant: 'refresh' });
    ctx.state.log?.info({ consumerKey: consumer.key, userId: session.userId }, 'oauth1 access token refreshed');
    sendForm(ctx, accessAnswer(ctx, deps, issued, now));
  };
}
