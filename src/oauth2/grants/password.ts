import { authenticateWithLockout, type PasswordCheck } from '../../accounts/authenticate';
import { LockedOutError, type Lockout } from '../../accounts/lockout';
import type { Clock } from '../../clock';
import { HashingBusyError } from '../../crypto';
import { OAuth2Error } from '../errors';
import type { TokenIssuer } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import { grantScope, parseScope } from '../scope';
import type { Grant, GrantType } from './types';

export interface PasswordGrantDeps extends PasswordCheck {
  /** The one lockout every password channel shares. */
  lockout: Pick<Lockout, 'attempt'>;
  /** The configured lock, promised in Retry-After when a counter reports no expiry. */
  lockSeconds: number;
  issuer: Pick<TokenIssuer, 'issue'>;
  clock: Clock;
}

export const PASSWORD: GrantType = { grantType: 'password', registeredAs: 'password', metricName: 'password' };

function tooManyAttempts(err: LockedOutError, lockSeconds: number): OAuth2Error {
  // A counter that somehow lost its expiry reports an infinite TTL: promise the configured lock instead.
  const seconds = Number.isFinite(err.retryAfterSeconds) ? err.retryAfterSeconds : lockSeconds;
  return new OAuth2Error('invalid_request', 'Too many failed attempts; try again later.', {
    status: 429,
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) },
  });
}

/**
 * RFC 6749 section 4.3, resource owner password credentials (ClearPass "Username and password
 * credentials"). Unknown user, wrong password and disabled user are one invalid_grant; repeated
 * failures per username (on any channel) and per client address lock them out for a while (429).
 */
export function passwordGrant(deps: PasswordGrantDeps): Grant {
  return {
    ...PASSWORD,
    async handle({ client, params, clientAddress, admit }) {
      const username = params.require('username');
      const password = params.require('password');
      const scope = grantScope(parseScope(params.get('scope')), client.scopes);

      let user;
      try {
        user = await authenticateWithLockout(deps, username, password, clientAddress);
      } catch (err) {
        if (err instanceof LockedOutError) throw tooManyAttempts(err, deps.lockSeconds);
        if (err instanceof HashingBusyError) throw OAuth2Error.busy(err.retryAfterSeconds);
        throw err;
      }
      if (!user) throw new OAuth2Error('invalid_grant', 'The username or password is incorrect.');
      await admit?.({ client, user });

      return deps.issuer.issue({ client, userId: user.id, scope, grantType: 'password', refresh: issuesRefreshTokens(client) }, deps.clock());
    },
  };
}
