import { OAuth2Error } from '../errors';
import { AUTHORIZATION_CODE, authorizationCodeGrant, type AuthorizationCodeGrantDeps } from './authorization-code';
import { CLIENT_CREDENTIALS, clientCredentialsGrant, type ClientCredentialsGrantDeps } from './client-credentials';
import { DEVICE_CODE, deviceCodeGrant, type DeviceCodeGrantDeps } from './device-code';
import { EXTERNAL_TOKEN, externalTokenGrant, type ExternalTokenGrantDeps } from './external-token';
import { PASSWORD, passwordGrant, type PasswordGrantDeps } from './password';
import { REFRESH_TOKEN, refreshTokenGrant, type RefreshTokenGrantDeps } from './refresh-token';
import { TOKEN_EXCHANGE, tokenExchangeGrant, type TokenExchangeGrantDeps } from './token-exchange';
import type { Grant, GrantType } from './types';

export type { Grant, GrantRequest, GrantStore, GrantSubject, GrantType } from './types';
export { authorizationCodeGrant, clientCredentialsGrant, deviceCodeGrant, passwordGrant, refreshTokenGrant, externalTokenGrant };
export type { AuthorizationCodeGrantDeps, ClientCredentialsGrantDeps, DeviceCodeGrantDeps, PasswordGrantDeps, RefreshTokenGrantDeps, ExternalTokenGrantDeps };

/** Every grant type the token endpoint (and the ClearPass API) understands, in the order metadata lists them. */
export const GRANT_TYPES: readonly GrantType[] = [PASSWORD, CLIENT_CREDENTIALS, REFRESH_TOKEN, AUTHORIZATION_CODE, DEVICE_CODE, EXTERNAL_TOKEN, TOKEN_EXCHANGE];

/** Everything the grants together are given: each takes from it only what its own interface names. */
export type GrantCollaborators = PasswordGrantDeps &
  ClientCredentialsGrantDeps &
  RefreshTokenGrantDeps &
  AuthorizationCodeGrantDeps &
  DeviceCodeGrantDeps &
  ExternalTokenGrantDeps &
  TokenExchangeGrantDeps;

/** The grants by grant_type value, each built once over its collaborators. */
export class GrantRegistry {
  private readonly byType: ReadonlyMap<string, Grant>;

  constructor(grants: readonly Grant[]) {
    this.byType = new Map(grants.map((g) => [g.grantType, g]));
  }

  /**
   * Every grant in GRANT_TYPES. A new grant is one module, one line there and one here (its
   * collaborators join GrantCollaborators).
   */
  static build(c: GrantCollaborators): GrantRegistry {
    return new GrantRegistry([
      passwordGrant(c),
      clientCredentialsGrant(c),
      refreshTokenGrant(c),
      authorizationCodeGrant(c),
      deviceCodeGrant(c),
      externalTokenGrant(c),
      tokenExchangeGrant(c),
    ]);
  }

  /** The grant_type values of the grants built, in GRANT_TYPES order: what the token endpoint announces (RFC 8414). */
  get grantTypes(): string[] {
    return [...this.byType.keys()];
  }

  /** The grant for a grant_type value; invalid_request when absent, unsupported_grant_type when unknown. */
  grantFor(grantType: string | undefined): Grant {
    if (grantType === undefined) throw OAuth2Error.missing('grant_type');
    const grant = this.byType.get(grantType);
    if (!grant) throw new OAuth2Error('unsupported_grant_type', 'This grant type is not supported.');
    return grant;
  }
}
