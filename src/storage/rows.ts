// What the store takes and gives back: one plain, read-only row type per table, named by the
// protocol's words. Protocol code, accounts, the CLI and tests build and read these; only the
// TypeORM repositories know the entities (src/storage/entities), which implement them. Times are
// epoch milliseconds; every token table is keyed by the SHA-256 digest (hex) of the token, never
// the token itself.

/** ClearPass "operator profile": a named set of privileges. */
export interface ProfileRow {
  readonly id: string;
  readonly name: string;
  readonly privileges: readonly string[];
  readonly createdAt: number;
  /** Bumped by every admin-API update; absent on a row not read back from the store (0 there). */
  readonly version?: number;
}

export interface UserRow {
  readonly id: string;
  readonly username: string;
  /** What makes usernames unique without regard to case; the store derives it from the username on create. */
  readonly usernameKey: string;
  readonly passwordHash: string;
  readonly profileId: string | null;
  readonly enabled: boolean;
  /** Bumped whenever the user's credentials are taken back: a browser sign-in made under another version no longer counts. */
  readonly credentialVersion: number;
  readonly createdAt: number;
  /** Where the password is checked: 'local' (passwordHash), or 'ldap' (a bind as the user; passwordHash is empty). */
  readonly source: UserSource;
  /** Copied from the directory at each LDAP login (null for local users). */
  readonly displayName: string | null;
  readonly email: string | null;
  /** Bumped by every admin-API update; absent on a row not read back from the store (0 there). */
  readonly version?: number;
  /** OpenID Connect updated_at: when the name or email last changed; null or absent when never since creation. */
  readonly updatedAt?: number | null;
}

export type UserSource = 'local' | 'ldap';

/** A user as created: the directory fields may be left out (a local user, no display name or email). */
export type NewUserRow = Omit<UserRow, 'source' | 'displayName' | 'email'> & Partial<Pick<UserRow, 'source' | 'displayName' | 'email'>>;

/** What an LDAP login refreshes on its provisioned user. */
export interface DirectoryFields {
  readonly profileId: string | null;
  readonly displayName: string | null;
  readonly email: string | null;
}

/** What `user set` changes: the OpenID Connect profile and email claims' sources. */
export interface ProfileFields {
  readonly displayName: string | null;
  readonly email: string | null;
  readonly updatedAt: number;
}

/** A client's OpenID Connect settings, as `client add` and `client set` write them. */
export interface ClientOidcFields {
  readonly idTokenAlg: SigningKeyAlg | null;
  readonly accessTokenFormat: AccessTokenFormat;
  readonly postLogoutRedirectUris: readonly string[] | null;
}

/** How a request's oauth_callback must match the registered one: origin and path prefix, or exactly. */
export type CallbackMatch = 'prefix' | 'exact';

/** An OAuth 1.0a consumer. The key is public; the secret is sealed because HMAC-SHA1 needs it back. */
export interface ConsumerRow {
  readonly key: string;
  readonly name: string;
  readonly secretEnc: string;
  /** The registered callback: "oob", a URL, or null (any http(s) callback); see src/oauth1/callback.ts. */
  readonly callbackUrl: string | null;
  readonly callbackMatch: CallbackMatch;
  /** Trusted for xAuth (credentials for a token, no browser). */
  readonly xauth: boolean;
  readonly profileId: string | null;
  /** Seconds; null for the configured lifetime. */
  readonly accessTtl: number | null;
  readonly enabled: boolean;
  readonly createdAt: number;
  /** The consumer's RSA public key (SPKI PEM) for RSA-SHA1, RFC 5849 section 3.4.3; null: it has none. */
  readonly rsaPublicKey: string | null;
  /** The signature methods this consumer may use; null: the gateway's oauth1.signatureMethods. */
  readonly signatureMethods: readonly string[] | null;
  /** May name a user with xoauth_requestor_id on two-legged requests (src/oauth1/two-legged.ts). */
  readonly requestor: boolean;
  /** The secret the last rotation replaced (sealed), accepted until previousSecretExpiresAt (null: none). */
  readonly previousSecretEnc?: string | null;
  readonly previousSecretExpiresAt?: number | null;
  /** Bumped by every admin-API update; absent on a row not read back from the store (0 there). */
  readonly version?: number;
}

/** An OAuth 2.0 client. A public client has no secret. */
export interface ClientRow {
  readonly clientId: string;
  readonly name: string;
  readonly secretHash: string | null;
  readonly redirectUris: readonly string[];
  readonly grants: readonly string[];
  readonly scopes: readonly string[];
  readonly refresh: boolean;
  readonly implicit: boolean;
  /** PKCE "plain" is refused unless the client was registered for it (RFC 9700 prefers S256). */
  readonly allowPlainPkce: boolean;
  /** RFC 9126: authorization requests only as pushed ones (a request_uri from /oauth2/par). */
  readonly requirePar: boolean;
  /** Lifetimes in seconds; null for the configured ones. */
  readonly accessTtl: number | null;
  readonly refreshTtl: number | null;
  readonly codeTtl: number | null;
  readonly profileId: string | null;
  readonly enabled: boolean;
  readonly createdAt: number;
  /** Bumped by every admin-API update; absent on a row not read back from the store (0 there). */
  readonly version?: number;
  /** The secret the last rotation replaced, accepted until previousSecretExpiresAt (null: none). */
  readonly previousSecretHash?: string | null;
  readonly previousSecretExpiresAt?: number | null;
  /** OpenID Connect: the ID token signing algorithm; null or absent for RS256. */
  readonly idTokenAlg?: SigningKeyAlg | null;
  /** RFC 9068 JWT access tokens, or opaque random strings (absent: opaque). */
  readonly accessTokenFormat?: AccessTokenFormat;
  /** RP-initiated logout: the registered post_logout_redirect_uri values. */
  readonly postLogoutRedirectUris?: readonly string[] | null;
}

export type AccessTokenFormat = 'opaque' | 'jwt';

/** A user's remembered consent for a client: the scopes granted so far. */
export interface ConsentRow {
  readonly id: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly updatedAt: number;
}

/** OAuth 1.0a temporary credentials. */
export interface RequestTokenRow {
  readonly digest: string;
  readonly consumerKey: string;
  readonly secretEnc: string;
  /** "oob" or the callback URL given at request_token. */
  readonly callback: string;
  readonly verifierDigest: string | null;
  readonly userId: string | null;
  readonly authorizedAt: number | null;
  readonly deniedAt: number | null;
  readonly usedAt: number | null;
  readonly expiresAt: number;
  readonly createdAt: number;
}

/** The session extension: the authorization behind a chain of access tokens, named by oauth_session_handle. */
export interface OAuth1SessionRow {
  readonly handleDigest: string;
  readonly consumerKey: string;
  readonly userId: string;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly createdAt: number;
}

export interface OAuth1AccessTokenRow {
  readonly digest: string;
  readonly sessionDigest: string;
  readonly consumerKey: string;
  readonly userId: string;
  readonly secretEnc: string;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly createdAt: number;
}

export interface AuthorizationCodeRow {
  readonly digest: string;
  readonly clientId: string;
  readonly userId: string;
  /** The redirect URI the request named, or '' when it named none (see grant-response.ts). */
  readonly redirectUri: string;
  readonly scope: string;
  readonly codeChallenge: string | null;
  readonly codeChallengeMethod: string | null;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly createdAt: number;
  /** OpenID Connect: the authorization request's nonce, for the ID token the code is redeemed for. */
  readonly nonce?: string | null;
  /** OpenID Connect auth_time: when the user signed in (epoch ms). */
  readonly authTime?: number | null;
}

/** An OAuth 2.0 access token. */
export interface AccessTokenRow {
  readonly digest: string;
  readonly clientId: string;
  readonly userId: string | null;
  readonly scope: string;
  /** The grant_type that produced it. */
  readonly grantType: string;
  /** The refresh-token family (every token descending from one grant), for revoking them together. */
  readonly familyId: string | null;
  /** The authorization code it came from, so a replayed code can revoke it. */
  readonly codeDigest: string | null;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly createdAt: number;
}

export interface RefreshTokenRow {
  readonly digest: string;
  readonly familyId: string;
  readonly clientId: string;
  readonly userId: string | null;
  readonly scope: string;
  readonly expiresAt: number;
  /** Set when the token was exchanged: a second use is a replay and revokes the family. */
  readonly rotatedAt: number | null;
  readonly revokedAt: number | null;
  readonly createdAt: number;
}

export type DeviceCodeStatus = 'pending' | 'approved' | 'denied';

export interface DeviceCodeRow {
  readonly digest: string;
  /** Normalised (upper case, no dash), unique while it lives. */
  readonly userCode: string;
  readonly clientId: string;
  readonly scope: string;
  readonly status: DeviceCodeStatus;
  readonly userId: string | null;
  /** Seconds the device must wait between polls. */
  readonly interval: number;
  readonly lastPolledAt: number | null;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  readonly createdAt: number;
}

/** A named value the gateway keeps for itself, such as the sealed value that checks the secret key. */
export interface SettingRow {
  readonly name: string;
  readonly value: string;
  readonly updatedAt: number;
}

/** One time an account's credentials were all taken back; every node reads these in sequence order. */
export interface RevocationLogEntryRow {
  readonly seq: number;
  /** user | client | consumer */
  readonly kind: string;
  /** The user id, client_id or consumer key. */
  readonly subject: string;
  /** Why, for an operator reading the table: disabled | password_changed. */
  readonly reason: string;
  readonly at: number;
}

/**
 * The migration bridge: an OAuth 1.0a consumer linked to the OAuth 2.0 client its access tokens
 * may be exchanged for (RFC 8693 token exchange at the token endpoint). One client per consumer.
 */
export interface ConsumerLinkRow {
  readonly consumerKey: string;
  readonly clientId: string;
  readonly createdAt: number;
}

/** One OAuth 2.0 refresh-token family of a user: the grant behind its chain of tokens. */
export interface TokenFamilySummary {
  readonly familyId: string;
  readonly clientId: string;
  readonly scope: string;
  /** When its live refresh token expires. */
  readonly expiresAt: number;
  readonly createdAt: number;
}

/** Everything a user holds now, across protocols (see UserGrantRepository). */
export interface UserGrantRows {
  readonly oauth1Sessions: readonly OAuth1SessionRow[];
  readonly tokenFamilies: readonly TokenFamilySummary[];
  /** Live OAuth 2.0 access tokens outside any refresh family (a grant issued without a refresh token). */
  readonly singleAccessTokens: readonly AccessTokenRow[];
  readonly consents: readonly ConsentRow[];
  /** Device codes the user approved that the device has not redeemed yet. */
  readonly deviceGrants: readonly DeviceCodeRow[];
}

/** One entry of the admin audit log: who changed what, when, from where, and how it ended. Never a secret. */
export interface AuditEntryRow {
  readonly seq: number;
  readonly at: number;
  /** The username of the token's user, or `client:<client_id>` for a client_credentials token; the console's signed-in operator; the CLI's OS user (or `cli`). */
  readonly actor: string;
  /** The OAuth 2.0 client the actor's token was issued to (null from the CLI). */
  readonly actorClient: string | null;
  /** e.g. client.create, user.disable, consumer.rotate-secret */
  readonly operation: string;
  /** profile | user | consumer | client | grant | consent */
  readonly targetKind: string;
  readonly target: string;
  /** The caller's address (http/client-address.ts). */
  readonly address: string | null;
  /** success | refused | failed */
  readonly outcome: string;
  /** Where the change was made. */
  readonly source: AuditSource;
}

/** The admin API (a bearer token), the operators' console (a browser session), or the CLI (a shell on a node). */
export type AuditSource = 'api' | 'console' | 'cli';

export type SigningKeyAlg = 'RS256' | 'ES256';
/** next: published, not yet signing; active: signing; retired: published until what it signed has expired. */
export type SigningKeyState = 'next' | 'active' | 'retired';

/** An OpenID provider signing key. Its private key is sealed with the secret key; every node reads the same rows. */
export interface SigningKeyRow {
  /** The RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  readonly alg: SigningKeyAlg;
  readonly state: SigningKeyState;
  /** The PKCS#8 PEM private key, sealed (crypto/sealed.ts). */
  readonly secretEnc: string;
  /** The public JWK as JSON, with kid, alg and use. */
  readonly publicJwk: string;
  readonly createdAt: number;
  readonly activatedAt: number | null;
  readonly retiredAt: number | null;
  /** Seconds: the longest lifetime of anything it may have signed, set at retirement. */
  readonly maxTokenLifetime: number | null;
}
