import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { Challenge } from '../http/protocol-error';
import type { Identity, Verifier } from '../identity';
import { BearerError } from '../oauth2/bearer';
import { credentialRequired, insufficientPrivileges } from './errors';
import type { Route } from './routes';

export interface Verifiers {
  oauth1?: Verifier;
  oauth2?: Verifier;
}

function challenges(deps: GatewayDeps, route: Route): Challenge[] {
  const out: Challenge[] = [];
  if (route.accept.includes('oauth1')) out.push({ scheme: 'OAuth', realm: deps.config.oauth1.realm });
  if (route.accept.includes('oauth2')) out.push({ scheme: 'Bearer', realm: deps.config.oauth2.realm });
  return out;
}

/**
 * Who is calling, for the route's accepted protocols. Each verifier returns null when the request
 * has no credential of its kind and throws when it has a bad one, so the first identity wins and a
 * bad credential is never silently ignored. A "public" route lets a request without credentials
 * through (with no identity); a route that is only public runs no verifier at all.
 */
export async function authenticate(deps: GatewayDeps, ctx: Context, route: Route, verifiers: Verifiers): Promise<Identity | null> {
  const isPublic = route.accept.includes('public');
  const kinds = route.accept.filter((k): k is 'oauth1' | 'oauth2' => k !== 'public');
  for (const kind of kinds) {
    const verify = verifiers[kind];
    if (!verify) continue;
    const identity = await verify(ctx);
    if (identity) return identity;
  }
  if (isPublic) return null;
  deps.metrics.verificationFailures.inc({ protocol: 'gateway', reason: 'credential_missing' });
  throw credentialRequired(challenges(deps, route));
}

function holdsAll(held: readonly string[], required: readonly string[]): boolean {
  return required.every((r) => held.includes(r));
}

/**
 * The route's requirements: every listed privilege (from the user's or client's profile) and every
 * listed scope. OAuth 1.0a grants carry no scopes, so a route that requires scopes admits only OAuth
 * 2.0 tokens that hold them: it fails closed rather than treating "no scopes" as "all scopes".
 */
export function authorize(deps: GatewayDeps, route: Route, identity: Identity | null): void {
  if (route.privileges.length === 0 && route.scopes.length === 0) return;
  if (!identity) throw credentialRequired(challenges(deps, route));
  if (!holdsAll(identity.scopes, route.scopes)) {
    deps.metrics.verificationFailures.inc({ protocol: identity.protocol, reason: 'insufficient_scope' });
    throw BearerError.insufficientScope(deps.config.oauth2.realm, route.scopes);
  }
  if (!holdsAll(identity.privileges, route.privileges)) {
    deps.metrics.verificationFailures.inc({ protocol: identity.protocol, reason: 'insufficient_privileges' });
    throw insufficientPrivileges();
  }
}
