import type { GatewayDeps } from '../../deps';
import type { Context } from '../../http/context';
import { readIdTokenHint } from '../../oidc/id-token-hint';
import type { UserRow } from '../../storage/types';
import { issuerFor } from '../issuer';
import { AuthorizationError } from './errors';

/**
 * OpenID Connect Core section 3.1.2.1, id_token_hint: the client names the user it expects to be
 * signed in with an ID token we issued (expired ones too: it is a hint, not a credential). A hint
 * that is not one of ours is invalid_request; another user signed in is login_required, so a client
 * checking silently (prompt=none) never gets a code for someone other than the user it asked about.
 */
export async function idTokenHintRefusal(ctx: Context, deps: GatewayDeps, hint: string, user: UserRow): Promise<AuthorizationError | null> {
  const read = await readIdTokenHint(hint, (await deps.signingKeys.jwks()) as never, issuerFor(ctx, deps));
  if (!read) return new AuthorizationError('invalid_request', 'The id_token_hint is not an ID token this server issued.');
  if (read.sub !== user.id) return new AuthorizationError('login_required', 'The signed-in user is not the one the id_token_hint names.');
  return null;
}
