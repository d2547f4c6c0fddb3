import { z } from 'zod';

// Seconds, as operators write them in the config file and the CLI.
const seconds = z.number().int().positive();

const httpUrl = z
  .string()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

const databaseUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL (leave empty for the embedded SQLite)');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

// The secret key is 32 bytes for AES-256-GCM: 64 hex characters or base64 of 32 bytes.
const secretKey = z.string().refine((v) => {
  if (/^[0-9a-fA-F]{64}$/.test(v)) return true;
  try {
    return Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(v);
  } catch {
    return false;
  }
}, 'must be 32 bytes as 64 hex characters or base64');

export const credentialKinds = ['oauth1', 'oauth2', 'public'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

export const routeSchema = z.object({
  // Path prefix on the gateway, e.g. "/api".
  prefix: z.string().regex(/^\/[^?#]*$/, 'must start with / and hold no query or fragment'),
  upstream: httpUrl,
  // ClearPass "publisher": unsafe methods may go to a second upstream.
  writeUpstream: httpUrl.nullable().default(null),
  accept: z.array(z.enum(credentialKinds)).min(1).default(['oauth1', 'oauth2']),
  // Privileges (from the caller's profile) or OAuth2 scopes the caller must hold, all of them.
  privileges: z.array(z.string().min(1)).default([]),
  scopes: z.array(z.string().min(1)).default([]),
  stripPrefix: z.boolean().default(false),
  forwardCredentials: z.boolean().default(false),
  timeoutSeconds: seconds.default(30),
  connectTimeoutSeconds: seconds.default(5),
  // Cap on a streamed request body (413 past it); bodies read for an OAuth 1.0a signature use server.bodyLimitBytes.
  maxBodyBytes: z.number().int().positive().default(50 * 1024 * 1024),
});
export type RouteConfig = z.infer<typeof routeSchema>;

export const configSchema = z.object({
  server: z.object({
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    // The URL clients use to reach the gateway; signatures are verified against it.
    publicUrl: httpUrl.nullable(),
    // Addresses whose X-Forwarded-* headers are believed.
    trustedProxies: z.array(z.string().min(1)),
    shutdownTimeoutSeconds: seconds,
    bodyLimitBytes: z.number().int().positive(),
  }),
  dataDir: z.string().min(1),
  database: z.object({ url: databaseUrl.nullable() }),
  redis: z.object({ url: redisUrl.nullable() }),
  cache: z.object({
    // The in-process cache's bound when no Redis is configured (Redis has its own maxmemory).
    memoryMaxBytes: z.number().int().min(65536, 'must be at least 65536 (64 KiB)'),
  }),
  upstream: httpUrl.nullable(),
  secretKey: secretKey.nullable(),
  log: z.object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    // ClearPass "API Logging": standard logs one line per request, extended adds request detail.
    api: z.enum(['standard', 'extended']),
  }),
  demo: z.boolean(),
  lifetimes: z.object({
    oauth1RequestToken: seconds,
    oauth1AccessToken: seconds,
    oauth1Session: seconds,
    // RFC 6749 section 4.1.2 recommends at most ten minutes.
    authorizationCode: seconds.max(600, 'must be at most 600 seconds (RFC 6749 section 4.1.2)'),
    accessToken: seconds,
    refreshToken: seconds,
    deviceCode: seconds,
  }),
  oauth1: z.object({
    realm: z.string().min(1),
    timestampWindowSeconds: seconds,
    signatureMethods: z.array(z.enum(['HMAC-SHA1', 'PLAINTEXT'])).min(1),
    // PLAINTEXT sends the secrets themselves: only over TLS (RFC 5849 section 3.4.4) unless this
    // is on, which is for local development on http://127.0.0.1 only.
    plaintextOverHttp: z.boolean(),
    apiBaseUrlParameter: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a plain parameter name'),
    apiBaseUrl: httpUrl.nullable(),
  }),
  oauth2: z.object({
    realm: z.string().min(1),
    legacyGetTokenRequests: z.boolean(),
    bearerInQuery: z.boolean(),
    deviceCodeInterval: seconds,
  }),
  login: z.object({
    /** Failed passwords per username before it is locked. */
    maxFailures: z.number().int().positive(),
    /** Failed passwords per client address (any usernames); higher, as an office behind NAT shares one. */
    maxFailuresPerAddress: z.number().int().positive(),
    lockSeconds: seconds,
  }),
  // Failed OAuth 2.0 client authentications (each costs a scrypt), counted like login failures.
  clientAuth: z.object({
    /** Per client_id. */
    maxFailures: z.number().int().positive(),
    /** Per client address, whatever the client ids. */
    maxFailuresPerAddress: z.number().int().positive(),
    lockSeconds: seconds,
  }),
  // The bound on concurrent scrypt work (password and client secret checks).
  hashing: z.object({
    maxConcurrent: z.number().int().positive().max(64),
    maxQueued: z.number().int().min(0).max(10_000),
  }),
  cors: z.object({ allowedOrigins: z.array(z.string().min(1)) }),
  // A scrape token: when set, GET /metrics needs `Authorization: Bearer <token>`.
  metrics: z.object({
    token: z
      .string()
      .min(16, 'must be at least 16 characters')
      // RFC 6750 b64token: what a bearer credential can carry.
      .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'may hold only A-Z a-z 0-9 - . _ ~ + / (and trailing =)')
      .nullable(),
  }),
  routes: z.array(routeSchema),
});

export type GatewayConfig = z.infer<typeof configSchema>;
