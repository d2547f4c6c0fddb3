import type { GatewayDeps } from '../deps';
import { authenticateClient, parseClientCredentials } from './client-auth';
import { OAuth2Error } from './errors';
import { grantFor, type GrantSubject } from './grants';
import type { IssuedTokens } from './issue';
import type { TokenParams } from './params';

export interface TokenExchange {
  params: TokenParams;
  /** The request's Authorization header (HTTP Basic client authentication). */
  authorization: string | undefined;
  clientAddress: string;
  /** An endpoint policy run before issuing (see GrantRequest.admit). */
  admit?: (subject: GrantSubject) => Promise<void>;
  /** The request's id, for the audit line. */
  requestId?: string;
}

/**
 * One token request, whatever endpoint it came through: pick the grant, authenticate the client,
 * check the client may use the grant, let the grant issue. Errors are OAuth2Error; each endpoint
 * renders them in its own format.
 */
export async function exchangeToken(deps: GatewayDeps, request: TokenExchange): Promise<IssuedTokens> {
  const { realm } = deps.config.oauth2;
  const grant = grantFor(request.params.get('grant_type'));
  const credentials = parseClientCredentials(request.authorization, request.params, realm);
  const client = await authenticateClient(deps, credentials, request.clientAddress);
  if (!client.grants.includes(grant.registeredAs)) {
    throw new OAuth2Error('unauthorized_client', 'This client is not allowed to use this grant type.');
  }
  const issued = await grant.handle({
    deps,
    client,
    params: request.params,
    clientAddress: request.clientAddress,
    admit: request.admit,
  });
  deps.metrics.tokensIssued.inc({ protocol: 'oauth2', grant: grant.metricName });
  // Ids, a grant name and a flag only: the exact-path logger is enough and much cheaper.
  deps.accessLog.info(
    { reqId: request.requestId, client_id: client.clientId, user_id: issued.userId, grant: grant.metricName, refresh: issued.refreshToken !== null },
    'oauth2 tokens issued',
  );
  return issued;
}
