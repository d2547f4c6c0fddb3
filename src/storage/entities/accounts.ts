import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn, nullableEpochColumn } from '../columns';
import type { AccessTokenFormat, SigningKeyAlg, CallbackMatch, ClientRow, ConsentRow, ConsumerRow, ProfileRow, UserRow, UserSource } from '../rows';

/** ClearPass "operator profile": a named set of privileges. */
@Entity('profiles')
export class Profile implements ProfileRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Index({ unique: true }) @Column('varchar', { length: 128 }) name: string;
  @Column('simple-json') privileges: readonly string[];
  @Column(epochColumn) createdAt: number;
  // Bumped by every admin-API update (PATCH): its If-Match is a compare-and-set on this number.
  @Column('integer', { default: 0 }) version: number;
}

@Entity('users')
export class User implements UserRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 255 }) username: string;
  // Usernames are unique without regard to case.
  @Index({ unique: true }) @Column('varchar', { length: 255 }) usernameKey: string;
  @Column('varchar', { length: 255 }) passwordHash: string;
  @Column('varchar', { length: 64, nullable: true }) profileId: string | null;
  @Column('boolean') enabled: boolean;
  // Bumped whenever the user's credentials are taken back (password changed, disabled): a browser
  // sign-in made under another version no longer counts.
  @Column('integer', { default: 0 }) credentialVersion: number;
  @Column(epochColumn) createdAt: number;
  // 'ldap': provisioned at a first LDAP login, its password checked by the directory alone.
  @Column('varchar', { length: 8, default: 'local' }) source: UserSource;
  @Column('varchar', { length: 255, nullable: true }) displayName: string | null;
  @Column('varchar', { length: 320, nullable: true }) email: string | null;
  // Bumped by every admin-API update (PATCH): its If-Match is a compare-and-set on this number.
  @Column('integer', { default: 0 }) version: number;
  // OpenID Connect updated_at: when the name or email last changed (null: never since created).
  @Column(nullableEpochColumn) updatedAt?: number | null;
}

/** An OAuth 1.0a consumer. The key is public; the secret is encrypted because HMAC-SHA1 needs it back. */
@Entity('consumers')
export class Consumer implements ConsumerRow {
  @PrimaryColumn('varchar', { length: 64 }) key: string;
  @Column('varchar', { length: 128 }) name: string;
  @Column('text') secretEnc: string;
  // The registered callback: "oob", a URL, or null (any http(s) callback); see src/oauth1/callback.ts.
  @Column('varchar', { length: 2048, nullable: true }) callbackUrl: string | null;
  // How a request's oauth_callback must match callbackUrl: 'prefix' (origin and path prefix) or 'exact'.
  @Column('varchar', { length: 8, default: 'prefix' }) callbackMatch: CallbackMatch;
  @Column('boolean') xauth: boolean;
  @Column('varchar', { length: 64, nullable: true }) profileId: string | null;
  @Column('integer', { nullable: true }) accessTtl: number | null;
  @Column('boolean') enabled: boolean;
  @Column(epochColumn) createdAt: number;
  // SPKI PEM for RSA-SHA1; null when the consumer signs only with its secret.
  @Column('text', { nullable: true }) rsaPublicKey: string | null;
  // null: the gateway's configured list applies (and follows it when the configuration changes).
  @Column('simple-json', { nullable: true }) signatureMethods: readonly string[] | null;
  @Column('boolean', { default: false }) requestor: boolean;
  // Bumped by every admin-API update (PATCH): its If-Match is a compare-and-set on this number.
  @Column('integer', { default: 0 }) version: number;
  // The secret replaced by the last rotation (sealed), still accepted until previousSecretExpiresAt (its grace period).
  @Column('text', { nullable: true }) previousSecretEnc: string | null;
  @Column(nullableEpochColumn) previousSecretExpiresAt: number | null;
}

/** An OAuth 2.0 client. A public client has no secret. */
@Entity('clients')
export class Client implements ClientRow {
  @PrimaryColumn('varchar', { length: 64 }) clientId: string;
  @Column('varchar', { length: 128 }) name: string;
  @Column('varchar', { length: 255, nullable: true }) secretHash: string | null;
  @Column('simple-json') redirectUris: readonly string[];
  @Column('simple-json') grants: readonly string[];
  @Column('simple-json') scopes: readonly string[];
  @Column('boolean') refresh: boolean;
  @Column('boolean') implicit: boolean;
  // PKCE "plain" is refused unless the client was registered for it (RFC 9700 prefers S256).
  @Column('boolean') allowPlainPkce: boolean;
  // RFC 9126: authorization requests only as pushed ones (a request_uri from /oauth2/par).
  @Column('boolean', { default: false }) requirePar: boolean;
  @Column('integer', { nullable: true }) accessTtl: number | null;
  @Column('integer', { nullable: true }) refreshTtl: number | null;
  @Column('integer', { nullable: true }) codeTtl: number | null;
  @Column('varchar', { length: 64, nullable: true }) profileId: string | null;
  @Column('boolean') enabled: boolean;
  @Column(epochColumn) createdAt: number;
  // Bumped by every admin-API update (PATCH): its If-Match is a compare-and-set on this number.
  @Column('integer', { default: 0 }) version: number;
  // The secret replaced by the last rotation, still accepted until previousSecretExpiresAt (its grace period).
  @Column('varchar', { length: 255, nullable: true }) previousSecretHash: string | null;
  @Column(nullableEpochColumn) previousSecretExpiresAt: number | null;
  // OpenID Connect: null signs ID tokens RS256 (the default).
  @Column('varchar', { length: 8, nullable: true }) idTokenAlg?: SigningKeyAlg | null;
  // RFC 9068: 'jwt' access tokens a resource server can verify alone; 'opaque' (default) random strings.
  @Column('varchar', { length: 8, default: 'opaque' }) accessTokenFormat?: AccessTokenFormat;
  // RP-initiated logout: where the client may ask to be sent back after the session ends.
  @Column('simple-json', { nullable: true }) postLogoutRedirectUris?: readonly string[] | null;
}

/** A user's remembered consent for a client: the scopes granted so far. */
@Entity('consents')
@Index(['userId', 'clientId'], { unique: true })
export class Consent implements ConsentRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Column('varchar', { length: 64 }) userId: string;
  @Column('varchar', { length: 64 }) clientId: string;
  @Column('simple-json') scopes: readonly string[];
  @Column(epochColumn) updatedAt: number;
}
