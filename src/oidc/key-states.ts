import type { SigningKeyAlg, SigningKeyRow } from '../storage/types';

// The life of a signing key, as pure functions of the stored rows and the time:
//   next    -> published in the JWKS, signs nothing yet (relying parties that cache the JWKS learn
//              it before the first token it signs reaches them);
//   active  -> signs; still published;
//   retired -> signs nothing; published until every token it signed has expired
//              (retiredAt + maxTokenLifetime), then dropped.
// Two nodes starting at once may both create keys: every active key is published, and the signer
// is the oldest, so all nodes agree on it and nothing they signed goes unverifiable.

export type KeyRow = Pick<SigningKeyRow, 'kid' | 'alg' | 'state' | 'createdAt' | 'activatedAt' | 'retiredAt' | 'maxTokenLifetime'>;

const oldestFirst = (a: KeyRow, b: KeyRow) => a.createdAt - b.createdAt || (a.kid < b.kid ? -1 : a.kid > b.kid ? 1 : 0);

/** The key that signs for this algorithm: the oldest active one, or null when there is none. */
export function signingKeyFor<K extends KeyRow>(keys: readonly K[], alg: SigningKeyAlg): K | null {
  return [...keys].filter((k) => k.alg === alg && k.state === 'active').sort(oldestFirst)[0] ?? null;
}

/** When a retired key stops being published (epoch ms); null while it is not retired. */
export function publishedUntil(key: KeyRow): number | null {
  if (key.state !== 'retired' || key.retiredAt === null) return null;
  return key.retiredAt + (key.maxTokenLifetime ?? 0) * 1000;
}

/** Whether the key belongs in the JWKS at `now`. */
export function isPublished(key: KeyRow, now: number): boolean {
  const until = publishedUntil(key);
  return until === null || until > now;
}

/** The keys of the JWKS, oldest first: next, active, and retired ones something they signed may still need. */
export function publishedKeys<K extends KeyRow>(keys: readonly K[], now: number): K[] {
  return [...keys].filter((k) => isPublished(k, now)).sort(oldestFirst);
}

/** Retired keys nothing needs any more (the JWKS no longer has them): safe to delete. */
export function expiredKeys<K extends KeyRow>(keys: readonly K[], now: number): K[] {
  return keys.filter((k) => !isPublished(k, now));
}

/** What a rotation of one algorithm's keys changes. */
export interface RotationPlan {
  /** The next key that starts signing, or null when there is none yet (a next key is then made only). */
  promote: string | null;
  /** The active keys that stop signing. */
  retire: string[];
  /** A new next key is made in every rotation: the one after this one is published from now on. */
  makeNext: true;
}

/**
 * `keys rotate`: the oldest next key starts signing and the active keys retire; a new next key is
 * made. Without a next key nothing is promoted (a key never signs before it was published): the
 * rotation makes one, and the one after it promotes it.
 */
export function planRotation(keys: readonly KeyRow[], alg: SigningKeyAlg): RotationPlan {
  const next = [...keys].filter((k) => k.alg === alg && k.state === 'next').sort(oldestFirst)[0] ?? null;
  if (next === null) return { promote: null, retire: [], makeNext: true };
  const retire = keys.filter((k) => k.alg === alg && k.state === 'active').map((k) => k.kid);
  return { promote: next.kid, retire, makeNext: true };
}

/** What the first start needs for one algorithm: an active key to sign with and a next key published beside it. */
export function missingAtStart(keys: readonly KeyRow[], alg: SigningKeyAlg): { active: boolean; next: boolean } {
  const live = keys.filter((k) => k.alg === alg);
  return { active: !live.some((k) => k.state === 'active'), next: !live.some((k) => k.state === 'next') };
}

/** Why `keys retire KID` is refused, or null when it may go ahead. */
export function retireRefusal(keys: readonly KeyRow[], kid: string): string | null {
  const key = keys.find((k) => k.kid === kid);
  if (!key) return `unknown key "${kid}"`;
  if (key.state === 'retired') return `key "${kid}" is already retired`;
  return null;
}
