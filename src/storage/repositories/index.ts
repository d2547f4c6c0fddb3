import type { Executor } from '../executor';
import type { Repositories } from '../types';
import { clientRepository, consumerRepository, profileRepository, userRepository } from './accounts';
import { consentRepository } from './consents';
import { deviceCodeRepository } from './device';
import { oauth1AccessTokenRepository, oauth1SessionRepository, requestTokenRepository } from './oauth1';
import { accessTokenRepository, authorizationCodeRepository, refreshTokenRepository } from './oauth2';
import { grantRepository } from './grants';
import { revocationLogRepository } from './revocation-log';
import { sealedSecretRepository } from './sealed-secrets';
import { settingRepository } from './settings';
import { consumerLinkRepository } from './links';
import { userGrantRepository } from './user-grants';
import { auditLogRepository } from './audit-log';
import { signingKeyRepository } from './signing-keys';

export { usernameKey } from './accounts';

/** Every repository, bound to one executor (the store's, or one transaction's). */
export function makeRepositories(exec: Executor): Repositories {
  return {
    profiles: profileRepository(exec),
    users: userRepository(exec),
    consumers: consumerRepository(exec),
    clients: clientRepository(exec),
    consents: consentRepository(exec),
    requestTokens: requestTokenRepository(exec),
    oauth1Sessions: oauth1SessionRepository(exec),
    oauth1AccessTokens: oauth1AccessTokenRepository(exec),
    authorizationCodes: authorizationCodeRepository(exec),
    accessTokens: accessTokenRepository(exec),
    refreshTokens: refreshTokenRepository(exec),
    deviceCodes: deviceCodeRepository(exec),
    settings: settingRepository(exec),
    sealedSecrets: sealedSecretRepository(exec),
    grants: grantRepository(exec),
    revocationLog: revocationLogRepository(exec),
    consumerLinks: consumerLinkRepository(exec),
    userGrants: userGrantRepository(exec),
    auditLog: auditLogRepository(exec),
    signingKeys: signingKeyRepository(exec),
  };
}
