import { authenticateWithLockout, type PasswordCheck } from '../../accounts/authenticate';
import type { Lockout } from '../../accounts/lockout';
import type { Clock } from '../../clock';
import { OAuth2Error } from '../errors';
import type { TokenIssuer } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import { grantScope, parseScope } from '../scope';
import type { Grant, GrantType } from './types';

export interface PasswordGrantDeps extends PasswordCheck {
  /** The one lockout every password channel shares. */
  lockout: Pick<Lockout, 'attempt'>;
  issuer: Pick<TokenIssuer, 'issue'>;
  clock: Clock;
}

export const PASSWORD: GrantType = { grantType: 'password', registeredAs: 'password', metricName: 'password' };

/**
 * RFC 6749 section 4.3, resource owner password credentials (ClearPass "Username and password
 * credentials"). Unknown user, wrong password and disabled user are one invalid_grant; repeated
 * failures per username (on any channel) and per client address lock them out for a while (429).
 */
export function passwordGrant(deps: PasswordGrantDeps): Grant {
  return {
    ...PASSWORD,
    async handle({ client, params, clientAddress, admit, issuer }) {
      const username = params.require('username');
      const password = params.require('password');
      const scope = grantScope(parseScope(params.get('scope')), client.scopes);

      // A lock-out (429) or a full hashing queue (503) propagates as it is: src/http/conditions.ts
      // words it for the endpoint's format, the same on every channel.
      const user = await authenticateWithLockout(deps, username, password, clientAddress);
      if (!user) throw new OAuth2Error('invalid_grant', 'The username or password is incorrect.');
      await admit?.({ client, user });

      return deps.issuer.issue({ client, userId: user.id, scope, grantType: 'password', refresh: issuesRefreshTokens(client), issuer }, deps.clock());
    },
  };
}
