import type { Clock } from '../../clock';
import { tokenDigest } from '../../crypto';
import type { AccessTokenRepository, ClientRow, UserRepository } from '../../storage/types';
import { OAuth2Error } from '../errors';
import type { IssuedTokens, TokenIssuer } from '../issue';
import type { TokenParams } from '../params';
import { narrowScope, parseScope, scopeList } from '../scope';
import type { GrantSubject } from '../grants/types';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_NAME } from './types';

export interface AccessTokenSubjectDeps {
  store: { accessTokens: Pick<AccessTokenRepository, 'find'>; users: Pick<UserRepository, 'findById'> };
  issuer: Pick<TokenIssuer, 'issue'>;
  clock: Clock;
}

const invalidSubject = () => new OAuth2Error('invalid_grant', 'The subject token is invalid, expired or revoked.');

/**
 * RFC 8693 exchange of one of the gateway's own access tokens for a narrower one: the same client
 * and user, a subset of the scope, and no longer life than the subject token. Only the client the
 * subject token was issued to may exchange it (anything else would let one client act as another).
 * The new token joins the subject's refresh family, so revoking the family ends it too; no refresh
 * token is issued (the client refreshes the subject and exchanges again).
 */
export async function exchangeAccessToken(
  deps: AccessTokenSubjectDeps,
  request: { client: ClientRow; params: TokenParams; admit?: (subject: GrantSubject) => Promise<void> },
): Promise<IssuedTokens> {
  const { client, params } = request;
  const requested = parseScope(params.get('scope'));
  const now = deps.clock();
  const subject = await deps.store.accessTokens.find(tokenDigest(params.require('subject_token')));
  if (!subject || subject.revokedAt !== null || subject.expiresAt <= now || subject.clientId !== client.clientId) throw invalidSubject();
  const user = subject.userId === null ? null : await deps.store.users.findById(subject.userId);
  if (subject.userId !== null && (!user || !user.enabled)) throw invalidSubject();
  const scope = narrowScope(requested, scopeList(subject.scope));
  await request.admit?.({ client, user });
  const issued = await deps.issuer.issue(
    { client, userId: subject.userId, scope, grantType: TOKEN_EXCHANGE_GRANT_NAME, refresh: false, familyId: subject.familyId, notAfter: subject.expiresAt },
    now,
  );
  return { ...issued, issuedTokenType: ACCESS_TOKEN_TYPE };
}
