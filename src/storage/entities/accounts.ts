import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn } from '../columns';
import type { CallbackMatch, ClientRow, ConsentRow, ConsumerRow, ProfileRow, UserRow } from '../rows';

/** ClearPass "operator profile": a named set of privileges. */
@Entity('profiles')
export class Profile implements ProfileRow {
  @PrimaryColumn('varchar', { length: 64 }) id: string;
  @Index({ unique: true }) @Column('varchar', { length: 128 }) name: string;
  @Column('simple-json') privileges: readonly string[];
  @Column(epochColumn) createdAt: number;
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
  @Column('integer', { nullable: true }) accessTtl: number | null;
  @Column('integer', { nullable: true }) refreshTtl: number | null;
  @Column('integer', { nullable: true }) codeTtl: number | null;
  @Column('varchar', { length: 64, nullable: true }) profileId: string | null;
  @Column('boolean') enabled: boolean;
  @Column(epochColumn) createdAt: number;
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
