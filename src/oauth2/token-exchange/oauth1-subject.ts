import type { Clock } from '../../clock';
import type { Revocations } from '../../revocation';
import type { ClientRow, OAuth1AccessTokenRepository, OAuth1SessionRepository, UserRepository } from '../../storage/types';
import { OAuth2Error } from '../errors';
import type { GrantStore, GrantSubject } from '../grants/types';
import type { IssuedTokens, TokenIssuer, TokenWrites } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import type { TokenParams } from '../params';
import { grantScope, parseScope } from '../scope';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_NAME, type OAuth1Proof } from './types';

/** The tables the bridge reads and writes in its one transaction. */
export interface OAuth1ExchangeTables extends TokenWrites {
  oauth1AccessTokens: Pick<OAuth1AccessTokenRepository, 'find' | 'revokeBySession'>;
  oauth1Sessions: Pick<OAuth1SessionRepository, 'find' | 'revoke'>;
  users: Pick<UserRepository, 'findById'>;
}

export interface OAuth1SubjectDeps {
  store: GrantStore<OAuth1ExchangeTables>;
  issuer: Pick<TokenIssuer, 'issueIn'>;
  clock: Clock;
  revocations: Pick<Revocations, 'tokensRevoked'>;
  /** oauth2.endOAuth1SessionOnExchange: what an exchange without end_oauth1_session does. */
  endOAuth1SessionOnExchange?: boolean;
}

const invalidSubject = () => new OAuth2Error('invalid_grant', 'The OAuth 1.0a access token or its session is invalid, expired or ended.');

function endSessionWanted(value: string | undefined, byDefault: boolean): boolean {
  if (value === undefined) return byDefault;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new OAuth2Error('invalid_request', 'end_oauth1_session must be true or false.');
}

type Outcome = { kind: 'issued'; issued: IssuedTokens; ended: string[] } | { kind: 'invalid' };

/**
 * The migration bridge: a linked consumer's OAuth 1.0a access token, proven by the request's
 * signature with it, becomes an OAuth 2.0 access token (and refresh token, when the client gets
 * them) for the same user, issued to the linked client. With end_oauth1_session the OAuth 1.0a
 * session and every token of it end in the same transaction, so the exchange happens once: a
 * second one finds the session ended. The ended tokens stop at once on every node.
 */
export async function exchangeOAuth1Token(
  deps: OAuth1SubjectDeps,
  request: { client: ClientRow; params: TokenParams; proof: OAuth1Proof; admit?: (subject: GrantSubject) => Promise<void> },
): Promise<IssuedTokens> {
  const { client, params, proof } = request;
  const endSession = endSessionWanted(params.get('end_oauth1_session'), deps.endOAuth1SessionOnExchange ?? false);
  const scope = grantScope(parseScope(params.get('scope')), client.scopes);
  const now = deps.clock();

  // Read again inside the transaction: the row the signature was checked against may have been
  // refreshed, revoked or exchanged since, by a request on this node or another.
  const outcome = await deps.store.transaction(async (tx): Promise<Outcome> => {
    const token = await tx.oauth1AccessTokens.find(proof.token.digest);
    if (!token || token.revokedAt !== null || token.expiresAt <= now) return { kind: 'invalid' };
    const session = await tx.oauth1Sessions.find(token.sessionDigest);
    if (!session || session.revokedAt !== null || session.expiresAt <= now) return { kind: 'invalid' };
    const user = await tx.users.findById(token.userId);
    if (!user || !user.enabled) return { kind: 'invalid' };
    await request.admit?.({ client, user });
    let ended: string[] = [];
    if (endSession) {
      // Atomic: of two exchanges racing to end one session, one wins and the other issues nothing.
      if (!(await tx.oauth1Sessions.revoke(session.handleDigest, now))) return { kind: 'invalid' };
      ended = await tx.oauth1AccessTokens.revokeBySession(session.handleDigest, now);
    }
    const issued = await deps.issuer.issueIn(
      tx,
      { client, userId: user.id, scope, grantType: TOKEN_EXCHANGE_GRANT_NAME, refresh: issuesRefreshTokens(client) },
      now,
    );
    return { kind: 'issued', issued, ended };
  });

  if (outcome.kind === 'invalid') throw invalidSubject();
  await deps.revocations.tokensRevoked(outcome.ended);
  return { ...outcome.issued, issuedTokenType: ACCESS_TOKEN_TYPE };
}
