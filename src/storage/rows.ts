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
  /** Lifetimes in seconds; null for the configured ones. */
  readonly accessTtl: number | null;
  readonly refreshTtl: number | null;
  readonly codeTtl: number | null;
  readonly profileId: string | null;
  readonly enabled: boolean;
  readonly createdAt: number;
}

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
