import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { Challenge } from '../http/protocol-error';
import type { CredentialCheck, Identity } from '../identity';
import { BearerError, UnrecognisedTokenError } from '../oauth2/bearer';
import { hasScopes } from '../oauth2/scope';
import { credentialRequired, insufficientPrivileges } from './errors';
import type { Route } from './routes';

// The access check of a proxied request, in two steps: who is calling (authenticateCaller), then
// whether the route admits them (checkRouteAccess). The OAuth 2.0 authorization endpoint, where a
// user grants a client access, is another thing: oauth2/authorize/.

/** The credential check of each protocol a route may accept. */
export interface CredentialChecks {
  oauth1?: CredentialCheck;
  oauth2?: CredentialCheck;
  /** OAuth 1.0a signed by the consumer alone (src/oauth1/two-legged.ts). */
  'oauth1-2legged'?: CredentialCheck;
  /** An external authorization server's tokens (src/issuers/), one check per configured issuer. */
  [issuer: `issuer:${string}`]: CredentialCheck | undefined;
}

function challenges(deps: GatewayDeps, route: Route): Challenge[] {
  const out: Challenge[] = [];
  if (route.accept.includes('oauth1') || route.accept.includes('oauth1-2legged')) out.push({ scheme: 'OAuth', realm: deps.config.oauth1.realm });
  if (route.protocols.some((k) => k === 'oauth2' || k.startsWith('issuer:'))) out.push({ scheme: 'Bearer', realm: deps.config.oauth2.realm });
  return out;
}

/**
 * Who is calling, for the route's accepted protocols. Each protocol's check returns null when the
 * request has no credential of its kind and throws when it has a bad one, so the first identity wins
 * and a bad credential is never silently ignored. A "public" route lets a request without
 * credentials through (with no identity); a route that is only public runs no check at all.
 */
export async function authenticateCaller(deps: GatewayDeps, ctx: Context, route: Route, checks: CredentialChecks): Promise<Identity | null> {
  // A bearer token one authorization server does not know may be another's (the gateway's own, an
  // external issuer's): a later bearer check may still take it, else the first refusal stands.
  let unrecognised: UnrecognisedTokenError | null = null;
  for (const kind of route.protocols) {
    const check = checks[kind];
    if (!check) continue;
    try {
      const identity = await check(ctx);
      if (identity) return identity;
    } catch (err) {
      if (!(err instanceof UnrecognisedTokenError)) throw err;
      unrecognised ??= err;
    }
  }
  if (unrecognised) throw unrecognised;
  if (route.isPublic) return null;
  deps.metrics.verificationFailures.inc({ protocol: 'gateway', reason: 'credential_missing' });
  throw credentialRequired(challenges(deps, route));
}

/**
 * The route's requirements: every listed privilege (from the user's or client's profile) and every
 * listed scope. OAuth 1.0a grants carry no scopes, so a route that requires scopes admits only OAuth
 * 2.0 tokens that hold them: it fails closed rather than treating "no scopes" as "all scopes".
 */
export function checkRouteAccess(deps: GatewayDeps, route: Route, identity: Identity | null): void {
  if (route.privileges.length === 0 && route.scopes.length === 0) return;
  if (!identity) throw credentialRequired(challenges(deps, route));
  if (!hasScopes(identity.scopes, route.scopes)) {
    deps.metrics.verificationFailures.inc({ protocol: identity.protocol, reason: 'insufficient_scope' });
    throw BearerError.insufficientScope(deps.config.oauth2.realm, route.scopes);
  }
  if (!route.privileges.every((p) => identity.privileges.includes(p))) {
    deps.metrics.verificationFailures.inc({ protocol: identity.protocol, reason: 'insufficient_privileges' });
    throw insufficientPrivileges();
  }
}
