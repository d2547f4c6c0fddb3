import { z } from 'zod';
import { listenAddressSchema, parseListenAddress } from './listen-address';
import { decodeSecretKey, SECRET_KEY_RULE } from '../crypto/key';
import { routePrefix, routeTableRule } from './route-rules';
import { workerCount } from '../cluster/worker-count';
import { issuerReferencesRule, issuerSchema } from './issuers';
import { ldapSchema } from './ldap';
import { httpUrl } from './urls';
import { brandingSchema, scopesSchema } from './pages';

// Every default of the configuration is here, in the schema: an absent key takes its `.default`,
// an absent section is filled in key by key (`.prefault({})`). config/default.json only shows them
// (test/unit/config.test.ts checks that it matches). Every object is strict: a key the gateway does
// not know (a typo such as "trustedProxy") stops the start instead of being silently ignored.

// Seconds, as operators write them in the config file and the CLI.
const seconds = z.number().int().positive();
const clientCacheRule = 'must be a whole number of seconds from 0 to 60';


const databaseUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL (leave empty for the embedded SQLite)');

const redisUrl = z.string().refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

// One rule for the key, the one crypto/key.ts decodes with (a key file is held to it too).
const secretKey = z.string().refine((v) => {
  try {
    decodeSecretKey(v);
    return true;
  } catch {
    return false;
  }
}, SECRET_KEY_RULE);

/**
 * A lock-out (accounts/lockout.ts): failures allowed per name (a username, a client_id), failures per
 * client address whatever the names (higher, as an office behind NAT shares one address), and how
 * long a counter past its limit stays locked.
 */
const guessLimit = (maxFailures: number) =>
  z
    .strictObject({
      maxFailures: z.number().int().positive().default(maxFailures),
      maxFailuresPerAddress: z.number().int().positive().default(20),
      lockSeconds: seconds.default(300),
    })
    .prefault({});

const workersRule = 'must be a whole number from 1 to 256, or "auto"';
// Requests in flight to one upstream origin, and requests waiting for one of them.
const upstreamConnections = z.number().int().positive().max(65_536);
const upstreamQueue = z.number().int().min(0).max(1_000_000);
// The part of an upstream's connections (and queue) that requests without an identity may hold at once.
const anonymousShare = z.number().gt(0, 'must be more than 0 and at most 1').max(1, 'must be more than 0 and at most 1');
// Seconds a proxied request's body may go without a byte before the exchange is stopped (408).
const bodyIdleSeconds = z.number().int().min(1).max(3600);

const credentialKinds = ['oauth1', 'oauth2', 'public', 'oauth1-2legged'] as const;
// The OAuth 1.0a signature methods (src/oauth1/signature.ts SIGNATURE_METHODS).
const oauth1SignatureMethods = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'PLAINTEXT'] as const;
// Or `issuer:<name>`: tokens of an external authorization server in `issuers` (config/issuers.ts).
const issuerKindPattern = /^issuer:[a-z0-9][a-z0-9_-]{0,63}$/;
export type CredentialKind = (typeof credentialKinds)[number] | `issuer:${string}`;
const credentialKind = z.custom<CredentialKind>(
  (v) => typeof v === 'string' && ((credentialKinds as readonly string[]).includes(v) || issuerKindPattern.test(v)),
  'must be oauth1, oauth2, oauth1-2legged, public or issuer:<name>',
);

export const routeSchema = z.strictObject({
  // Path prefix on the gateway, e.g. "/api"; held without its trailing slash ("/" for the root),
  // the spelling the route table matches on.
  prefix: routePrefix,
  upstream: httpUrl,
  // ClearPass "publisher": unsafe methods may go to a second upstream.
  writeUpstream: httpUrl.nullable().default(null),
  accept: z.array(credentialKind).min(1).default(['oauth1', 'oauth2']),
  // Privileges (from the caller's profile) or OAuth2 scopes the caller must hold, all of them.
  privileges: z.array(z.string().min(1)).default([]),
  scopes: z.array(z.string().min(1)).default([]),
  stripPrefix: z.boolean().default(false),
  forwardCredentials: z.boolean().default(false),
  timeoutSeconds: seconds.default(30),
  connectTimeoutSeconds: seconds.default(5),
  // Cap on a streamed request body (413 past it); bodies read for an OAuth 1.0a signature use server.bodyLimitBytes.
  maxBodyBytes: z.number().int().positive().default(50 * 1024 * 1024),
  // /readyz also asks this route's upstream (and write upstream): any HTTP answer is up, no answer within
  // server.readyTimeoutSeconds is down, and the gateway is then not ready.
  readiness: z.boolean().default(false),
});
/** The loaded configuration is frozen (loadConfig): the types say so too, so a mutation does not compile. */
type DeepReadonly<T> = T extends (infer U)[] ? ReadonlyArray<DeepReadonly<U>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export type RouteConfig = DeepReadonly<z.infer<typeof routeSchema>>;

/** The origins the configuration proxies to: `upstream` and every route's upstream and write upstream. */
function configuredOrigins(config: { upstream: string | null; routes: readonly { upstream: string; writeUpstream: string | null }[] }): Set<string> {
  const urls = [config.upstream, ...config.routes.flatMap((r) => [r.upstream, r.writeUpstream])].filter((u): u is string => u !== null);
  return new Set(urls.map((u) => new URL(u).origin));
}

/** A perUpstream entry must name a configured upstream: a typo would otherwise leave the real one on the defaults. */
function perUpstreamRule(
  config: { upstream: string | null; routes: readonly { upstream: string; writeUpstream: string | null }[]; upstreamLimits: { perUpstream: Record<string, unknown> } },
  ctx: z.RefinementCtx,
): void {
  const origins = configuredOrigins(config);
  for (const url of Object.keys(config.upstreamLimits.perUpstream)) {
    if (!origins.has(new URL(url).origin)) {
      ctx.addIssue({ code: 'custom', path: ['upstreamLimits', 'perUpstream', url], message: 'names no configured upstream (upstream, or a route\'s upstream or writeUpstream)' });
    }
  }
}

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(8080),
      // The URL clients use to reach the gateway; signatures are verified against it. Held without
      // a trailing slash, as URLs in answers are built by appending paths to it.
      publicUrl: httpUrl
        .transform((v) => v.replace(/\/+$/, ''))
        .nullable()
        .default(null),
      // Addresses whose X-Forwarded-* headers are believed.
      trustedProxies: z.array(z.string().min(1)).default([]),
      shutdownTimeoutSeconds: seconds.default(10),
      bodyLimitBytes: z.number().int().positive().default(1024 * 1024),
      // Bytes of bodies read whole (up to bodyLimitBytes each) held at once across all requests
      // (http/buffered-bodies.ts): bodyLimitBytes bounds one request, this a thousand slow ones.
      bufferedBodiesMaxBytes: z.number().int().positive().default(32 * 1024 * 1024),
      // Processes sharing the listen port (node:cluster); `auto`: one per CPU.
      workers: z.union([z.literal('auto'), z.number().int(workersRule).min(1, workersRule).max(256, workersRule)], { error: workersRule }).default(1),
      // How long /readyz waits for the database and the cache before it calls one of them down.
      readyTimeoutSeconds: seconds.default(2),
    })
    .prefault({}),
  // Relative to the working directory (loadConfig resolves it).
  dataDir: z.string().min(1).default('./data'),
  database: z
    .strictObject({
      url: databaseUrl.nullable().default(null),
      // Time limits, so a database that stops answering costs a request seconds (then 503), never
      // the whole outage (storage/data-source.ts says which limit applies where).
      connectTimeoutSeconds: seconds.default(3),
      statementTimeoutSeconds: seconds.default(5),
      queryTimeoutSeconds: seconds.default(6),
      // Client and consumer rows kept in memory per node (0: read every time); a disable reaches every node sooner through the revocation log.
      clientCacheSeconds: z.number({ error: clientCacheRule }).int(clientCacheRule).min(0, clientCacheRule).max(60, clientCacheRule).default(5),
    })
    .prefault({}),
  redis: z.strictObject({ url: redisUrl.nullable().default(null) }).prefault({}),
  cache: z
    .strictObject({
      // The in-process cache's bound when no Redis is configured (Redis has its own maxmemory).
      memoryMaxBytes: z.number().int().min(65536, 'must be at least 65536 (64 KiB)').default(64 * 1024 * 1024),
    })
    .prefault({}),
  upstream: httpUrl.nullable().default(null),
  // null: generated once into <dataDir>/secret.key.
  secretKey: secretKey.nullable().default(null),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      // ClearPass "API Logging": standard logs one line per request, extended adds request detail.
      api: z.enum(['standard', 'extended']).default('standard'),
      // json: one JSON object per line (for collectors); pretty: pino-pretty's coloured lines for a person at a terminal.
      format: z.enum(['json', 'pretty']).default('json'),
    })
    .prefault({}),
  demo: z.boolean().default(true),
  lifetimes: z
    .strictObject({
      oauth1RequestToken: seconds.default(600),
      // WebEx Social: 60 minutes.
      oauth1AccessToken: seconds.default(3600),
      oauth1Session: seconds.default(14 * 24 * 3600),
      // RFC 6749 section 4.1.2 recommends at most ten minutes.
      authorizationCode: seconds.max(600, 'must be at most 600 seconds (RFC 6749 section 4.1.2)').default(600),
      // ClearPass: 8 hours, and 14 days for refresh tokens.
      accessToken: seconds.default(8 * 3600),
      refreshToken: seconds.default(14 * 24 * 3600),
      deviceCode: seconds.default(600),
      // OpenID Connect ID tokens: an hour, the usual choice of providers.
      idToken: seconds.default(3600),
    })
    .prefault({}),
  oauth1: z
    .strictObject({
      realm: z.string().min(1).default('oauth-gateway'),
      timestampWindowSeconds: seconds.default(300),
      // The outer bound: a consumer's own list (consumer add --signature-methods) narrows it. RSA-SHA1
      // is usable only by consumers that registered a public key.
      signatureMethods: z
        .array(z.enum(oauth1SignatureMethods))
        .min(1)
        .default([...oauth1SignatureMethods]),
      // PLAINTEXT sends the secrets themselves: only over TLS (RFC 5849 section 3.4.4) unless this
      // is on, which is for local development on http://127.0.0.1 only.
      plaintextOverHttp: z.boolean().default(false),
      // WebEx Social's name for the API base URL in access token answers.
      apiBaseUrlParameter: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a plain parameter name').default('quad_openapi_baseurl'),
      // null: <public URL>/api.
      apiBaseUrl: httpUrl.nullable().default(null),
    })
    .prefault({}),
  oauth2: z
    .strictObject({
      realm: z.string().min(1).default('oauth-gateway'),
      legacyGetTokenRequests: z.boolean().default(false),
      bearerInQuery: z.boolean().default(false),
      deviceCodeInterval: seconds.default(5),
      // A refresh token reused by its client this soon after its rotation gets a sibling pair, not a
      // family revocation (concurrent refreshes); 0 turns the grace off.
      refreshReuseGraceSeconds: z.number().int().min(0).max(60).default(5),
      // The migration bridge: an OAuth 1.0a token exchanged without end_oauth1_session ends its session when true.
      endOAuth1SessionOnExchange: z.boolean().default(false),
    })
    .prefault({}),
  // Failed passwords, per username.
  login: guessLimit(5),
  // Failed OAuth 2.0 client authentications (each costs a scrypt), per client_id.
  clientAuth: guessLimit(10),
  // The bound on concurrent scrypt work (password and client secret checks).
  hashing: z
    .strictObject({
      maxConcurrent: z.number().int().positive().max(64).default(2),
      maxQueued: z.number().int().min(0).max(10_000).default(32),
    })
    .prefault({}),
  cors: z.strictObject({ allowedOrigins: z.array(z.string().min(1)).default([]) }).prefault({}),
  // OpenTelemetry tracing (src/tracing/): off by default, and then no tracer exists at all.
  tracing: z
    .strictObject({
      enabled: z.boolean().default(false),
      // The OTLP/HTTP traces endpoint of a collector (JSON encoding), e.g. http://otel-collector:4318/v1/traces.
      endpoint: httpUrl.default('http://127.0.0.1:4318/v1/traces'),
      serviceName: z.string().min(1).default('oauth-gateway'),
      // The share of new traces recorded (0 to 1); a trace an honoured traceparent says is sampled is recorded whatever this says.
      sampleRatio: z.number().min(0).max(1).default(1),
      // Whose traceparent starts the gateway's span as a child: trustedProxies (only a peer in server.trustedProxies), always, never.
      acceptIncoming: z.enum(['trustedProxies', 'always', 'never']).default('trustedProxies'),
    })
    .prefault({}),
  // A scrape token: when set, GET /metrics needs `Authorization: Bearer <token>`.
  metrics: z
    .strictObject({
      token: z
        .string()
        .min(16, 'must be at least 16 characters')
        // RFC 6750 b64token: what a bearer credential can carry.
        .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'may hold only A-Z a-z 0-9 - . _ ~ + / (and trailing =)')
        .nullable()
        .default(null),
    })
    .prefault({}),
  // The connection cap of every upstream origin (gateway/connection-slots.ts), overridable per origin.
  upstreamLimits: z
    .strictObject({
      maxConnections: upstreamConnections.default(256),
      maxQueued: upstreamQueue.default(1024),
      queueTimeoutSeconds: seconds.default(5),
      // Anonymous slow bodies on a public route must not shut identified callers out of the upstream:
      // requests without an identity hold at most this share of its connections and of its queue.
      anonymousShare: anonymousShare.default(0.5),
      // A client that sends no body byte for this long holds a connection for nothing (slow-body attack):
      // stopped with 408. 10 s is past TCP's retransmission backoff on a lossy link (1 + 2 + 4 s).
      bodyIdleTimeoutSeconds: bodyIdleSeconds.default(10),
      // Keyed by an upstream URL (its origin counts: scheme, host and port); any key left out takes the value above.
      perUpstream: z
        .record(
          httpUrl,
          z.strictObject({
            maxConnections: upstreamConnections.optional(),
            maxQueued: upstreamQueue.optional(),
            queueTimeoutSeconds: seconds.optional(),
            anonymousShare: anonymousShare.optional(),
            bodyIdleTimeoutSeconds: bodyIdleSeconds.optional(),
          }),
        )
        .default({}),
    })
    .prefault({}),
  // Checked as a whole here, not when the gateway builds its table, so `migrate` and every admin
  // command refuse a bad table exactly as `serve` does.
  // The admin REST API (/admin/api/v1) and its explorer (/api-docs): on by default, answering
  // only callers on loopback unless `remote` (behind server.trustedProxies, the original caller counts).
  // `listen` ("HOST:PORT" or a port on loopback) serves them on a listener of their own instead of
  // the main one, so network rules can keep operators' and clients' traffic apart.
  admin: z
    .strictObject({ enabled: z.boolean().default(true), remote: z.boolean().default(false), listen: listenAddressSchema.nullable().default(null) })
    .prefault({}),
  routes: z.array(routeSchema).superRefine(routeTableRule).default([]),
  // External authorization servers whose tokens routes may accept (config/issuers.ts).
  issuers: z.array(issuerSchema).default([]),
  // A directory as a second user store (src/config/ldap.ts); null: local users only.
  ldap: ldapSchema.nullable().default(null),
  // Scope descriptions for the consent page, and the pages' branding (src/config/pages.ts).
  scopes: scopesSchema,
  branding: brandingSchema,
}).superRefine((config, ctx) => {
  perUpstreamRule(config, ctx);
  issuerReferencesRule(config, ctx);
  adminListenRule(config, ctx);
  if (config.server.bufferedBodiesMaxBytes < config.server.bodyLimitBytes) {
    ctx.addIssue({
      code: 'custom',
      path: ['server', 'bufferedBodiesMaxBytes'],
      message: `must be at least server.bodyLimitBytes (${config.server.bodyLimitBytes}): else a body the gateway accepts could never be read`,
    });
  }
  // Nonces, lock-out counters, sessions and revocations must be seen by every worker: the in-memory
  // cache is one per process, so several workers would each keep their own and let replays through.
  const workers = workerCount(config.server.workers);
  if (workers > 1 && config.redis.url === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['server', 'workers'],
      message: `${workers} workers need shared state: set redis.url (GATEWAY_REDIS_URL), or run one worker (the in-memory cache is per process)`,
    });
  }
});

export type GatewayConfig = DeepReadonly<z.infer<typeof configSchema>>;

/** The admin listener cannot share the main listener's port (the second listen would fail at start, with a less helpful error). */
function adminListenRule(config: { server: { port: number }; admin: { listen: string | null } }, ctx: z.core.$RefinementCtx): void {
  const admin = config.admin.listen === null ? null : parseListenAddress(config.admin.listen);
  if (admin && admin.port !== 0 && admin.port === config.server.port) {
    ctx.addIssue({ code: 'custom', path: ['admin', 'listen'], message: `must not use the main listener's port ${config.server.port}` });
  }
}
