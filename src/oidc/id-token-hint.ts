import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';

/** What an id_token_hint says once its signature checks out. */
export interface IdTokenHint {
  sub: string;
  clientId: string;
}

/**
 * RP-initiated logout 1.0 section 2: the hint is an ID token we issued, checked with our own
 * published keys. An expired one is accepted (the spec allows it: the user's ID token may well have
 * expired by the time they log out), so only the signature and the issuer are checked, not exp.
 * Null for anything that is not one of ours.
 */
export async function readIdTokenHint(hint: string, jwks: JSONWebKeySet, issuer: string): Promise<IdTokenHint | null> {
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(hint, createLocalJWKSet(jwks), { algorithms: ['RS256', 'ES256'] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (payload.iss !== issuer || typeof payload.sub !== 'string') return null;
  const clientId = typeof payload.azp === 'string' ? payload.azp : typeof payload.aud === 'string' ? payload.aud : null;
  return clientId === null ? null : { sub: payload.sub, clientId };
}
