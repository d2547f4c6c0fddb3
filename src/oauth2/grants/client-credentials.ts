import { isPublicClient } from '../client-auth';
import { OAuth2Error } from '../errors';
import { issueTokens } from '../issue';
import { grantScope, parseScope } from '../scope';
import type { Grant } from './types';

/**
 * RFC 6749 section 4.4: the client acts for itself. Only a confidential client can (a public client
 * proves nothing by its id), and no refresh token is issued (section 4.4.3: it can just ask again).
 */
export const clientCredentialsGrant: Grant = {
  grantType: 'client_credentials',
  registeredAs: 'client_credentials',
  metricName: 'client_credentials',
  async handle({ deps, client, params, admit }) {
    if (isPublicClient(client)) {
      throw new OAuth2Error('unauthorized_client', 'A public client cannot use the client_credentials grant.');
    }
    const scope = grantScope(parseScope(params.get('scope')), client.scopes);
    await admit?.({ client, user: null });
    const now = deps.clock();
    // One access token and no refresh token: a single INSERT, atomic on its own. Without a
    // transaction around it, SQLite's write queue moves one statement per token instead of three.
    return issueTokens(deps.store, { client, userId: null, scope, grantType: 'client_credentials', refresh: false }, now, deps.config);
  },
};
