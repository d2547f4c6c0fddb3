import { OAuth2Error } from '../errors';
import { clientCredentialsGrant } from './client-credentials';
import { passwordGrant } from './password';
import { refreshTokenGrant } from './refresh-token';
import { authorizationCodeGrant } from './authorization-code';
import { deviceCodeGrant } from './device-code';
import type { Grant } from './types';

export type { Grant, GrantRequest, GrantSubject } from './types';

/**
 * Every grant the token endpoint (and the ClearPass API) understands. A new grant is one module and
 * one line here: authorization_code and the device grant (RFC 8628) plug in the same way.
 */
const grants: readonly Grant[] = [passwordGrant, clientCredentialsGrant, refreshTokenGrant, authorizationCodeGrant, deviceCodeGrant];

const byType = new Map(grants.map((g) => [g.grantType, g]));

/** The grant for a grant_type value; invalid_request when absent, unsupported_grant_type when unknown. */
export function grantFor(grantType: string | undefined): Grant {
  if (grantType === undefined) throw OAuth2Error.missing('grant_type');
  const grant = byType.get(grantType);
  if (!grant) throw new OAuth2Error('unsupported_grant_type', 'This grant type is not supported.');
  return grant;
}

/** The grant_type values the dispatcher handles (for metadata and tests). */
export function supportedGrantTypes(): string[] {
  return grants.map((g) => g.grantType);
}
