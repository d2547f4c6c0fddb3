import { z } from 'zod';
import type { GatewayConfig } from './schema';
import { httpUrl } from './urls';

// External authorization servers whose access tokens protected routes may accept (`issuer:<name>`
// in a route's `accept`): see src/issuers/ and the README section "Tokens from an existing
// authorization server". Validated at start like every setting; nothing here is fetched at start.

const seconds = z.number().int().positive();

/**
 * Signature algorithms an issuer's keys may use: asymmetric only. `none` is never a choice, and no
 * HMAC algorithm is either: with HS256 the "key" would be the public key everyone can fetch.
 */
export const ISSUER_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const algorithmRule = `must be one of ${ISSUER_ALGORITHMS.join(', ')} (never "none" nor an HMAC algorithm: a public key is no shared secret)`;

/** A JSON claim name, or a dotted path into nested objects ("realm_access.roles" in Keycloak tokens). */
const claimName = z.string().regex(/^[A-Za-z0-9_:\-$]+(\.[A-Za-z0-9_:\-$]+)*$/, 'must be a claim name, or a dotted path such as realm_access.roles');

export const issuerNameRule = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const issuerSchema = z
  .strictObject({
    // The name routes use: "issuer:<name>" in accept; also the X-Authenticated-Issuer value.
    name: z.string().regex(issuerNameRule, 'must be 1-64 lower-case letters, digits, "-" or "_", starting with a letter or digit'),
    // The `iss` value the tokens carry exactly (and the base of discovery).
    issuer: httpUrl,
    // Metadata from <issuer>/.well-known/openid-configuration, else /.well-known/oauth-authorization-server,
    // for whatever jwksUri and introspection.url leave out. Off: both come from here alone.
    discovery: z.boolean().default(true),
    jwksUri: httpUrl.nullable().default(null),
    // At least one accepted audience: a token minted for another API must not open this one.
    audiences: z.array(z.string().min(1)).min(1, 'must name at least one accepted audience (the aud value the tokens carry for this API)'),
    algorithms: z
      .array(z.string().refine((v) => (ISSUER_ALGORITHMS as readonly string[]).includes(v), algorithmRule))
      .min(1)
      .default(['RS256', 'PS256', 'ES256', 'EdDSA']),
    // rfc9068: JWTs must be typed at+jwt (RFC 9068 section 4); plain: any JWT typ (Keycloak's "JWT").
    jwtProfile: z.enum(['rfc9068', 'plain']).default('rfc9068'),
    clockSkewSeconds: z.number().int().min(0).max(300).default(30),
    claims: z
      .strictObject({
        user: claimName.default('sub'),
        username: claimName.nullable().default('preferred_username'),
        // The first present wins: RFC 9068 client_id, then OIDC azp.
        client: z.array(claimName).min(1).default(['client_id', 'azp']),
        // RFC 8693/9068 scope (a space-separated string), then Entra ID's scp (string or array).
        scopes: z.array(claimName).min(1).default(['scope', 'scp']),
        // A claim holding the caller's privileges (an array, or a space- or comma-separated string); null: none.
        privileges: claimName.nullable().default(null),
      })
      .prefault({}),
    introspection: z
      .strictObject({
        // null: the introspection_endpoint of discovery (when discovery is on and the issuer has one).
        url: httpUrl.nullable().default(null),
        // The gateway's own client at the issuer (RFC 7662 section 2.1: the caller authenticates).
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        authMethod: z.enum(['client_secret_basic', 'client_secret_post']).default('client_secret_basic'),
      })
      .nullable()
      .default(null),
    cache: z
      .strictObject({
        maxEntries: z.number().int().positive().max(10_000_000).default(100_000),
        // An active introspection answer is reused until min(exp, this).
        activeSeconds: seconds.default(60),
        // An inactive one is reused this long (a revoked token stays refused, a flood of bad tokens stays cheap).
        inactiveSeconds: seconds.max(300).default(5),
        // JWKS: refetched at most this often for an unknown kid, whatever the requests say.
        jwksRefreshMinSeconds: seconds.default(30),
        // JWKS: refetched on the next request after this long even when every kid is known.
        jwksMaxAgeSeconds: seconds.default(3600),
      })
      .prefault({}),
    timeoutSeconds: seconds.max(60).default(5),
  })
  .superRefine((issuer, ctx) => {
    if (!issuer.discovery && issuer.jwksUri === null && issuer.introspection?.url == null) {
      ctx.addIssue({ code: 'custom', message: 'with discovery off, set jwksUri (JWT access tokens) or introspection.url (opaque tokens)' });
    }
    if (!issuer.discovery && issuer.introspection !== null && issuer.introspection.url === null) {
      ctx.addIssue({ code: 'custom', path: ['introspection', 'url'], message: 'with discovery off, introspection needs its url' });
    }
  });

/** One issuer as the loaded (frozen) configuration holds it. */
export type IssuerConfig = GatewayConfig['issuers'][number];

/** Issuer names are unique, and every `issuer:<name>` a route accepts names one of them. */
export function issuerReferencesRule(
  config: { issuers: readonly { name: string }[]; routes: readonly { accept: readonly string[] }[] },
  ctx: z.RefinementCtx,
): void {
  const names = new Set<string>();
  config.issuers.forEach((issuer, i) => {
    if (names.has(issuer.name)) ctx.addIssue({ code: 'custom', path: ['issuers', i, 'name'], message: `two issuers share the name ${issuer.name}` });
    names.add(issuer.name);
  });
  config.routes.forEach((route, i) => {
    route.accept.forEach((kind, j) => {
      if (kind.startsWith('issuer:') && !names.has(kind.slice('issuer:'.length))) {
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'accept', j], message: `names no configured issuer (issuers[].name): ${kind}` });
      }
    });
  });
}


