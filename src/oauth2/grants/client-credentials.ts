import type { Clock } from '../../clock';
import { isPublicClient } from '../client-auth';
import { OAuth2Error } from '../errors';
import type { TokenIssuer } from '../issue';
import { grantScope, parseScope } from '../scope';
import type { Grant, GrantType } from './types';

export interface ClientCredentialsGrantDeps {
  issuer: Pick<TokenIssuer, 'issue'>;
  clock: Clock;
}

export const CLIENT_CREDENTIALS: GrantType = { grantType: 'client_credentials', registeredAs: 'client_credentials', metricName: 'client_credentials' };

/**
 * RFC 6749 section 4.4: the client acts for itself. Only a confidential client can (a public client
 * proves nothing by its id), and no refresh token is issued (section 4.4.3: it can just ask again).
 */
export function clientCredentialsGrant(deps: ClientCredentialsGrantDeps): Grant {
  return {
    ...CLIENT_CREDENTIALS,
    async handle({ client, params, admit, issuer }) {
      if (isPublicClient(client)) {
        throw new OAuth2Error('unauthorized_client', 'A public client cannot use the client_credentials grant.');
      }
      const scope = grantScope(parseScope(params.get('scope')), client.scopes);
      await admit?.({ client, user: null });
      // One access token and no refresh token: the issuer writes it with a single INSERT.
      return deps.issuer.issue({ client, userId: null, scope, grantType: 'client_credentials', refresh: false, issuer }, deps.clock());
    },
  };
}
