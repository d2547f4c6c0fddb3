import { Profile, User, Consumer, Client, Consent } from './accounts';
import { RequestToken, OAuth1Session, OAuth1AccessToken } from './oauth1';
import { AuthorizationCode, AccessToken, RefreshToken, DeviceCode } from './oauth2';
import { Setting } from './settings';
import { RevocationLogEntry } from './revocations';
import { ConsumerLink } from './links';
import { AuditEntry } from './audit';
import { SigningKey } from './signing-keys';

export { Profile, User, Consumer, Client, Consent, RequestToken, OAuth1Session, OAuth1AccessToken };
export { AuthorizationCode, AccessToken, RefreshToken, DeviceCode, Setting, RevocationLogEntry };
export { ConsumerLink, AuditEntry, SigningKey };

export const entities = [
  Profile,
  User,
  Consumer,
  Client,
  Consent,
  RequestToken,
  OAuth1Session,
  OAuth1AccessToken,
  AuthorizationCode,
  AccessToken,
  RefreshToken,
  DeviceCode,
  Setting,
  RevocationLogEntry,
  ConsumerLink,
  AuditEntry,
  SigningKey,
];
