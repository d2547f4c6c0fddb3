import type { GatewayDeps } from '../deps';
import { authenticateClient, parseClientCredentials } from './client-auth';
import { OAuth2Error } from './errors';
import { GrantRegistry, type GrantCollaborators, type GrantSubject } from './grants';
import { tokenIssuer, type IssuedTokens } from './issue';
import { configuredLifetimes } from './lifetimes';
import { jwtAccessTokens } from '../oidc/tokens';
import { configuredIssuer } from './issuer';
import type { TokenParams } from './params';
import type { ClientRow } from '../storage/types';
import type { OAuth1Signature } from './token-exchange/types';

export interface TokenExchange {
  params: TokenParams;
  /** The request's Authorization header (HTTP Basic client authentication). */
  authorization: string | undefined;
  clientAddress: string;
  /** An endpoint policy run before issuing (see GrantRequest.admit). */
  admit?: (subject: GrantSubject) => Promise<void>;
  /** The request's id, for the audit line. */
  requestId?: string;
  /** The request's OAuth 1.0a signature, verified on demand (the token endpoint gives it; see GrantRequest). */
  oauth1Signature?: OAuth1Signature;
  /** The issuer identifier the endpoint answers under. */
  issuer?: string;
  /** Told the client once it is authenticated, so the endpoint's access line and error metrics can name it. */
  authenticated?: (client: ClientRow) => void;
}

/** One token request in, the issued tokens out (errors are OAuth2Error). */
export type ExchangeToken = (request: TokenExchange) => Promise<IssuedTokens>;

/** What the grants are given, taken from the gateway's long-lived objects: nothing else reaches them. */
export function grantCollaborators(deps: GatewayDeps): GrantCollaborators {
  return {
    store: deps.store,
    issuer: tokenIssuer(deps.store, configuredLifetimes(deps.config.lifetimes), jwtAccessTokens(deps.signingKeys, () => configuredIssuer(deps))),
    lifetimes: configuredLifetimes(deps.config.lifetimes),
    hashing: deps.hashing,
    directory: deps.directory,
    lockout: deps.lockout,
    revocations: deps.revocations,
    clock: deps.clock,
    logger: deps.logger,
    refreshReuseGraceSeconds: deps.config.oauth2.refreshReuseGraceSeconds,
    endOAuth1SessionOnExchange: deps.config.oauth2.endOAuth1SessionOnExchange,
    realm: deps.config.oauth2.realm,
  };
}

/**
 * The dispatcher shared by every endpoint that issues tokens, built once per endpoint with its grants
 * (the token endpoint passes the registry it also announces). One token request, whatever endpoint it
 * came through: pick the grant, authenticate the client, check the client may use the grant, let the
 * grant issue. Errors are OAuth2Error; each endpoint renders them in its own format.
 */
export function tokenExchange(deps: GatewayDeps, grants = GrantRegistry.build(grantCollaborators(deps))): ExchangeToken {
  const { realm } = deps.config.oauth2;
  return async function exchangeToken(request) {
    const grant = grants.grantFor(request.params.get('grant_type'));
    // A grant may find the client from another proof first (the bridge's OAuth 1.0a signature).
    const client =
      (await grant.clientOf?.(request)) ??
      (await authenticateClient(deps, parseClientCredentials(request.authorization, request.params, realm), request.clientAddress));
    request.authenticated?.(client);
    if (!client.grants.includes(grant.registeredAs)) {
      throw new OAuth2Error('unauthorized_client', 'This client is not allowed to use this grant type.');
    }
    // A JWT access token is signed inside the grant's transaction, where the first keys can't be
    // written: they are made (once per process, if the store has none) before it begins.
    if (client.accessTokenFormat === 'jwt') await deps.signingKeys.ensure();
    const issued = await grant.handle({
      client,
      params: request.params,
      clientAddress: request.clientAddress,
      admit: request.admit,
      oauth1Signature: request.oauth1Signature,
      issuer: request.issuer,
    });
    deps.metrics.tokensIssued.inc({ protocol: 'oauth2', grant: grant.metricName });
    // Ids, a grant name and a flag only: the exact-path logger is enough and much cheaper.
    deps.accessLog.info(
      { reqId: request.requestId, clientId: client.clientId, userId: issued.userId, grant: grant.metricName, refresh: issued.refreshToken !== null },
      'oauth2 tokens issued',
    );
    return issued;
  };
}
