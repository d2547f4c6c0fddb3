import type { ClientRow, ClientRepository, ConsumerLinkRepository } from '../../storage/types';
import { OAuth2Error } from '../errors';
import type { TokenIssuer } from '../issue';
import { exchangeAccessToken, type AccessTokenSubjectDeps } from '../token-exchange/access-token-subject';
import { exchangeOAuth1Token, type OAuth1SubjectDeps } from '../token-exchange/oauth1-subject';
import { requireOwnTarget } from '../token-exchange/targets';
import { ACCESS_TOKEN_TYPE, OAUTH1_ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT_NAME, TOKEN_EXCHANGE_GRANT_TYPE } from '../token-exchange/types';
import type { Grant, GrantType } from './types';

export interface TokenExchangeGrantDeps extends Omit<OAuth1SubjectDeps, 'issuer'>, Omit<AccessTokenSubjectDeps, 'store' | 'issuer'> {
  store: OAuth1SubjectDeps['store'] &
    AccessTokenSubjectDeps['store'] & { consumerLinks: Pick<ConsumerLinkRepository, 'find'>; clients: Pick<ClientRepository, 'findById'> };
  issuer: Pick<TokenIssuer, 'issue' | 'issueIn'>;
  /** The realm of the OAuth challenge a refused consumer gets. */
  realm?: string;
}

export const TOKEN_EXCHANGE: GrantType = { grantType: TOKEN_EXCHANGE_GRANT_TYPE, registeredAs: TOKEN_EXCHANGE_GRANT_NAME, metricName: 'token_exchange' };

/** RFC 8693 parameters the gateway has no use for: said so, never ignored silently. */
function refuseUnsupported(params: { get(name: string): string | undefined }): void {
  if (params.get('actor_token') !== undefined || params.get('actor_token_type') !== undefined) {
    throw new OAuth2Error('invalid_request', 'Delegation (actor_token) is not supported: exchange a token for a narrower one of the same subject.');
  }
  const requested = params.get('requested_token_type');
  if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
    throw new OAuth2Error('invalid_request', `The only requested_token_type issued is ${ACCESS_TOKEN_TYPE}.`);
  }
}

/**
 * RFC 8693 token exchange at the token endpoint, for two subject token types:
 * - the gateway's OAuth 1.0a access token type (the migration bridge): the request is signed with
 *   OAuth 1.0a by the consumer with that token, and the consumer's link names the client;
 * - an OAuth 2.0 access token the gateway issued to the authenticated client: a narrower token.
 * Either way the client must be registered for token_exchange.
 */
export function tokenExchangeGrant(deps: TokenExchangeGrantDeps): Grant {
  const refusedConsumer = (description: string) =>
    new OAuth2Error('invalid_client', description, { status: 401, challenges: [{ scheme: 'OAuth', realm: deps.realm ?? 'oauth-gateway' }] });

  return {
    ...TOKEN_EXCHANGE,

    async clientOf({ params, oauth1Signature }): Promise<ClientRow | null> {
      if (params.get('subject_token_type') !== OAUTH1_ACCESS_TOKEN_TYPE) return null;
      const subjectToken = params.require('subject_token');
      if (!oauth1Signature) throw new OAuth2Error('invalid_request', 'An OAuth 1.0a subject token is exchanged only at the token endpoint, in a request signed with it.');
      const proof = await oauth1Signature();
      if (subjectToken !== proof.tokenValue) {
        throw new OAuth2Error('invalid_request', 'The subject_token must be the oauth_token the request is signed with.');
      }
      const link = await deps.store.consumerLinks.find(proof.consumer.key);
      if (!link) throw new OAuth2Error('unauthorized_client', 'This consumer is not linked to an OAuth 2.0 client.');
      const client = await deps.store.clients.findById(link.clientId);
      if (!client || !client.enabled) throw refusedConsumer('The OAuth 2.0 client this consumer is linked to is unknown or disabled.');
      return client;
    },

    async handle({ client, params, admit, oauth1Signature, issuer }) {
      params.require('subject_token');
      const type = params.require('subject_token_type');
      refuseUnsupported(params);
      requireOwnTarget(params, issuer);
      if (type === OAUTH1_ACCESS_TOKEN_TYPE) {
        // clientOf verified it (an OAuth 1.0a subject never reaches here otherwise); this is its memo.
        if (!oauth1Signature) throw new OAuth2Error('invalid_request', 'An OAuth 1.0a subject token must be presented in a request signed with it.');
        return exchangeOAuth1Token(deps, { client, params, proof: await oauth1Signature(), admit });
      }
      if (type === ACCESS_TOKEN_TYPE) return exchangeAccessToken(deps, { client, params, admit });
      throw new OAuth2Error('invalid_request', 'This subject_token_type is not supported (see token_exchange_subject_token_types_supported in the metadata).');
    },
  };
}
