import { randomUUID } from 'node:crypto';
import { authenticateWithLockout, type PasswordCheck } from '../../accounts/authenticate';
import type { Lockout } from '../../accounts/lockout';
import type { Clock } from '../../clock';
import { tokenDigest } from '../../crypto';
import { DuplicateError, type AccessTokenRepository, type RefreshTokenRepository } from '../../storage/types';
import { OAuth2Error } from '../errors';
import type { IssuedTokens } from '../issue';
import type { LifetimePolicy } from '../lifetimes';
import { issuesRefreshTokens } from '../lifetimes';
import { formatScope, grantScope, parseScope } from '../scope';
import type { Grant, GrantType } from './types';

export interface ExternalTokenGrantDeps extends PasswordCheck {
  store: PasswordCheck['store'] & {
    accessTokens: Pick<AccessTokenRepository, 'insert' | 'find'>;
    refreshTokens: Pick<RefreshTokenRepository, 'insert' | 'find'>;
  };
  /** The one lockout every password channel shares. */
  lockout: Pick<Lockout, 'attempt'>;
  /** The client's token lifetimes (the same policy the token issuer follows). */
  lifetimes: LifetimePolicy;
  clock: Clock;
}

export const EXTERNAL_TOKEN: GrantType = { grantType: 'external_token', registeredAs: 'external_token', metricName: 'external_token' };

// A supplied value must be usable as a bearer token (RFC 6750 b64token) and long enough that
// guessing it is hopeless: 32 characters hold at least 128 random bits in hex or base64 (a UUID's 36 too).
export const MIN_EXTERNAL_TOKEN_LENGTH = 32;
const MAX_EXTERNAL_TOKEN_LENGTH = 4096;
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

function checkValue(name: string, value: string): void {
  if (!b64token.test(value)) throw new OAuth2Error('invalid_request', `The ${name} parameter may hold only A-Z a-z 0-9 - . _ ~ + / (and trailing =).`);
  if (value.length < MIN_EXTERNAL_TOKEN_LENGTH) throw new OAuth2Error('invalid_request', `The ${name} parameter is too short: at least ${MIN_EXTERNAL_TOKEN_LENGTH} characters.`);
  if (value.length > MAX_EXTERNAL_TOKEN_LENGTH) throw new OAuth2Error('invalid_request', `The ${name} parameter is too long.`);
}

const alreadyUsed = () => new OAuth2Error('invalid_request', 'The supplied token values cannot be used; supply new ones.');

/**
 * The external_token grant (seed 004, SkyVault's OAuth 2 proxy module): an authorization server
 * already in place made the token values, and the client registers them here for a resource owner
 * whose password it presents, so the gateway's routes accept them as its own tokens. The password
 * is checked as in the password grant (one lock-out for every channel); the values are stored by
 * digest only, with the client's lifetimes. A value already known here (an access or refresh token,
 * live or not) is refused, with one sentence for both, so the grant cannot take over a token nor
 * tell which values exist.
 */
export function externalTokenGrant(deps: ExternalTokenGrantDeps): Grant {
  return {
    ...EXTERNAL_TOKEN,
    async handle({ client, params, clientAddress, admit }) {
      const username = params.require('username');
      const password = params.require('password');
      const accessToken = params.require('access_token');
      const refreshToken = params.get('refresh_token') ?? null;
      checkValue('access_token', accessToken);
      if (refreshToken !== null) {
        checkValue('refresh_token', refreshToken);
        if (refreshToken === accessToken) throw new OAuth2Error('invalid_request', 'The access_token and refresh_token parameters must differ.');
        if (!issuesRefreshTokens(client)) throw new OAuth2Error('invalid_request', 'This client is not issued refresh tokens.');
      }
      const scope = grantScope(parseScope(params.get('scope')), client.scopes);

      const user = await authenticateWithLockout(deps, username, password, clientAddress);
      if (!user) throw new OAuth2Error('invalid_grant', 'The username or password is incorrect.');
      await admit?.({ client, user });

      const accessDigest = tokenDigest(accessToken);
      const refreshDigest = refreshToken === null ? null : tokenDigest(refreshToken);
      const digests = [accessDigest, ...(refreshDigest ? [refreshDigest] : [])];
      const known = await Promise.all(digests.flatMap((d) => [deps.store.accessTokens.find(d), deps.store.refreshTokens.find(d)]));
      if (known.some((row) => row !== null)) throw alreadyUsed();

      const now = deps.clock();
      const lifetimes = deps.lifetimes(client);
      const familyId = refreshDigest ? randomUUID() : null;
      try {
        await deps.store.accessTokens.insert({
          digest: accessDigest,
          clientId: client.clientId,
          userId: user.id,
          scope: formatScope(scope),
          grantType: EXTERNAL_TOKEN.grantType,
          familyId,
          codeDigest: null,
          expiresAt: now + lifetimes.accessToken * 1000,
          revokedAt: null,
          createdAt: now,
        });
        if (refreshDigest && familyId) {
          await deps.store.refreshTokens.insert({
            digest: refreshDigest,
            familyId,
            clientId: client.clientId,
            userId: user.id,
            scope: formatScope(scope),
            expiresAt: now + lifetimes.refreshToken * 1000,
            rotatedAt: null,
            revokedAt: null,
            createdAt: now,
          });
        }
      } catch (err) {
        // Two requests racing with the same values: the unique digest lets one in.
        if (err instanceof DuplicateError) throw alreadyUsed();
        throw err;
      }
      const issued: IssuedTokens = { accessToken, expiresIn: lifetimes.accessToken, refreshToken, scope, userId: user.id };
      return issued;
    },
  };
}
