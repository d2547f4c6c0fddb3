import { tokenDigest } from '../../crypto';
import type { Context } from '../../http/context';
import { OAuth1Problem, type ProblemCode } from '../../oauth1/problems';
import { tokenRejected, verifySignedRequest, type OAuth1Deps } from '../../oauth1/verify-request';
import type { OAuth1AccessTokenRow } from '../../storage/types';
import { OAuth2Error } from '../errors';
import type { OAuth1Proof, OAuth1Signature } from './types';

// The signed token request of the migration bridge, checked with the OAuth 1.0a provider's own
// steps (verify-request.ts: parameters, consumer, token, signature, then the nonce), and its
// refusals said in RFC 6749's words, as the token endpoint answers in JSON.

/** Who failed: the consumer's credentials (the client authentication) or the token and its one-time proof. */
const CLIENT_PROBLEMS = new Set<ProblemCode>(['consumer_key_unknown', 'consumer_key_rejected', 'consumer_key_refused', 'signature_invalid']);
const GRANT_PROBLEMS = new Set<ProblemCode>(['token_rejected', 'token_expired', 'token_revoked', 'token_used', 'nonce_used', 'timestamp_refused']);

export function asOAuth2Error(problem: OAuth1Problem, realm: string): OAuth2Error {
  const description = `OAuth 1.0a ${problem.problem}${problem.description ? `: ${problem.description}` : '.'}`;
  if (CLIENT_PROBLEMS.has(problem.problem)) {
    return new OAuth2Error('invalid_client', description, { status: 401, challenges: [{ scheme: 'OAuth', realm }] });
  }
  if (GRANT_PROBLEMS.has(problem.problem)) return new OAuth2Error('invalid_grant', description);
  return new OAuth2Error('invalid_request', description);
}

async function verify(ctx: Context, deps: OAuth1Deps): Promise<OAuth1Proof> {
  try {
    const verified = await verifySignedRequest<OAuth1AccessTokenRow>(ctx, deps, {
      kind: 'resource',
      token: async (value, consumer) => {
        const row = await deps.store.oauth1AccessTokens.find(tokenDigest(value));
        if (!row || row.consumerKey !== consumer.key) throw tokenRejected();
        return { secret: deps.secrets.open(row.secretEnc), record: row };
      },
    });
    // PLAINTEXT may leave the nonce out; an exchange may not, or it could be replayed at will.
    if (verified.params.nonce === null) {
      throw new OAuth2Error('invalid_request', 'A token exchange signed with OAuth 1.0a must carry oauth_nonce and oauth_timestamp.');
    }
    return { consumer: verified.consumer, token: verified.token as OAuth1AccessTokenRow, tokenValue: verified.params.token as string };
  } catch (err) {
    if (err instanceof OAuth1Problem) throw asOAuth2Error(err, deps.config.oauth2.realm);
    throw err;
  }
}

/** The request's signature, verified once, on demand (a request without one is never read for it). */
export function oauth1Signature(ctx: Context, deps: OAuth1Deps): OAuth1Signature {
  let proof: Promise<OAuth1Proof> | null = null;
  return () => (proof ??= verify(ctx, deps));
}
