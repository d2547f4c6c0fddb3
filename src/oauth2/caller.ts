import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { clientAddress } from '../http/client-address';
import type { ClientRow } from '../storage/types';
import { authenticateClient, isPublicClient, parseClientCredentials } from './client-auth';
import { OAuth2Error } from './errors';
import type { TokenParams } from './params';

/**
 * The authenticated client calling introspection or revocation. Introspection reveals who a token
 * belongs to, so it takes a confidential client (a public client's id proves nothing).
 */
export async function authenticatedCaller(
  deps: GatewayDeps,
  ctx: Context,
  params: TokenParams,
  options: { confidentialOnly: boolean },
): Promise<ClientRow> {
  const { realm } = deps.config.oauth2;
  const credentials = parseClientCredentials(ctx.get('authorization') || undefined, params, realm);
  const client = await authenticateClient(deps, credentials, clientAddress(ctx, deps.config.server.trustedProxies));
  if (options.confidentialOnly && isPublicClient(client)) throw OAuth2Error.invalidClient(realm);
  return client;
}
