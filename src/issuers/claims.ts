import type { IssuerConfig } from '../config/issuers';
import type { Identity } from '../identity';

/** A claim by name, or by a dotted path into nested objects ("realm_access.roles"). */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.prototype.hasOwnProperty.call(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const nonEmptyString = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A list claim: an array of strings, or one string split on spaces (scope) or spaces and commas. */
function listOf(value: unknown, separators: RegExp): string[] | null {
  if (typeof value === 'string') return value.split(separators).filter((s) => s !== '');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.filter((s) => s !== '');
  return null;
}

/**
 * The caller a verified token (JWT claims or an introspection answer) names, read as the issuer's
 * `claims` settings say. Pure: the token was verified before, and expiresAt is the cache's bound.
 */
export function identityFromClaims(claims: Record<string, unknown>, config: Pick<IssuerConfig, 'name' | 'claims'>, expiresAt: number): Identity {
  const c = config.claims;
  const userId = nonEmptyString(claimAt(claims, c.user));
  const username = (c.username !== null ? nonEmptyString(claimAt(claims, c.username)) : null) ?? userId;
  let clientId = '';
  for (const name of c.client) {
    const value = nonEmptyString(claimAt(claims, name));
    if (value !== null) {
      clientId = value;
      break;
    }
  }
  let scopes: string[] = [];
  for (const name of c.scopes) {
    const value = listOf(claimAt(claims, name), / +/);
    if (value !== null) {
      scopes = value;
      break;
    }
  }
  const privileges = c.privileges !== null ? (listOf(claimAt(claims, c.privileges), /[ ,]+/) ?? []) : [];
  return { protocol: 'oauth2', userId, username, clientId, scopes, privileges, expiresAt, issuer: config.name };
}
