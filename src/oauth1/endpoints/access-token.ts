import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import type { RequestTokenRow } from '../../storage/types';
import { safeEqual, tokenDigest } from '../../crypto';
import { OAuth1Problem } from '../problems';
import { tokenRejected, verifySignedRequest, type OAuth1Deps, type TokenLookup } from '../verify-request';
import { accessAnswer, issueSessionAndToken } from './issue-tokens';
import { sendForm } from './respond';
import { normaliseOobVerifier } from '../oob-verifier';
import { OOB_VERIFIER_ATTEMPTS, countVerifierAttempt } from '../verifier-attempts';

/**
 * Token credentials (RFC 5849 section 2.3, WebEx "Exchange Request Token for Access Token"),
 * signed with the consumer secret and the request token secret. The request token is single use:
 * consuming it and issuing the session and access token happen in one transaction.
 */

type Deps = OAuth1Deps & Pick<GatewayDeps, 'metrics'>;

function requestTokenLookup(deps: OAuth1Deps): TokenLookup<RequestTokenRow> {
  return async (token, consumer) => {
    const record = await deps.store.requestTokens.find(tokenDigest(token));
    if (!record || record.consumerKey !== consumer.key) throw tokenRejected();
    return { secret: deps.secrets.open(record.secretEnc), record };
  };
}

/** The verifier as its digest was stored: an oob verifier was typed by a person (oob-verifier.ts). */
function storedForm(record: RequestTokenRow, verifier: string): string {
  return record.callback === 'oob' ? normaliseOobVerifier(verifier) : verifier;
}

/** Why this request token cannot be exchanged (yet), or null when its verifier is the last check. */
function refusal(record: RequestTokenRow, now: number): OAuth1Problem | null {
  if (record.usedAt !== null) return new OAuth1Problem('token_used', { advice: 'This request token was already exchanged.' });
  if (record.expiresAt <= now) return new OAuth1Problem('token_expired', { advice: 'The request token has expired; start again.' });
  if (record.deniedAt !== null) return new OAuth1Problem('permission_denied', { advice: 'The user denied access.' });
  if (record.authorizedAt === null || record.verifierDigest === null || record.userId === null) {
    return new OAuth1Problem('permission_unknown', { advice: 'The user has not authorized this request token yet.' });
  }
  return null;
}

const attemptsUsedUp = () =>
  new OAuth1Problem('verifier_invalid', { advice: 'Too many wrong verifiers: this request token can no longer be used; start again.' });

/**
 * Every verifier attempt on an authorized request token is counted before it is compared; the last
 * one allowed, when wrong, spends the request token, so a short oob verifier can't be found by trying.
 */
async function checkVerifier(deps: Deps, record: RequestTokenRow, verifier: string, now: number): Promise<void> {
  const problem = refusal(record, now);
  if (problem) throw problem;
  const attempt = await countVerifierAttempt(deps.cache, record.digest, Math.ceil((record.expiresAt - now) / 1000));
  if (attempt > OOB_VERIFIER_ATTEMPTS) {
    await deps.store.requestTokens.consume(record.digest, now);
    throw attemptsUsedUp();
  }
  if (safeEqual(tokenDigest(storedForm(record, verifier)), record.verifierDigest as string)) return;
  if (attempt === OOB_VERIFIER_ATTEMPTS) {
    await deps.store.requestTokens.consume(record.digest, now);
    throw attemptsUsedUp();
  }
  throw new OAuth1Problem('verifier_invalid', { advice: 'The verifier does not match this request token.' });
}

export function accessTokenEndpoint(deps: Deps) {
  return async function accessToken(ctx: Context): Promise<void> {
    const { params, consumer, token } = await verifySignedRequest(ctx, deps, { kind: 'access_token', token: requestTokenLookup(deps) });
    const record = token as RequestTokenRow;
    const now = deps.clock();
    // checks.ts requires oauth_verifier for this kind.
    await checkVerifier(deps, record, params.verifier as string, now);
    const userId = record.userId as string;
    const issued = await deps.store.transaction(async (tx) => {
      // Atomic: of two exchanges racing with the same verifier, one wins.
      if (!(await tx.requestTokens.consume(record.digest, now))) {
        throw new OAuth1Problem('token_used', { advice: 'This request token was already exchanged.' });
      }
      return issueSessionAndToken(tx, deps, { consumer, userId, now });
    });
    deps.metrics.tokensIssued.inc({ protocol: 'oauth1', grant: 'access_token' });
    ctx.state.log?.info({ consumerKey: consumer.key, userId }, 'oauth1 access token issued');
    sendForm(ctx, accessAnswer(ctx, deps, issued, now));
  };
}
