import type { Consent } from '../storage/entities';
import type { ConsentRepository } from '../storage/types';

// Remembered consent: once a user allowed a client some scopes, a later request for the same or
// fewer scopes does not ask again (unless the client sends prompt=consent). Asking for one more
// scope asks again, and approving adds it to what is remembered.

/** True when the remembered grant covers every requested scope (an empty request is covered by any grant). */
export function consentCovers(consent: Pick<Consent, 'scopes'> | null, requested: readonly string[]): boolean {
  if (!consent) return false;
  return requested.every((s) => consent.scopes.includes(s));
}

export async function hasConsent(consents: ConsentRepository, userId: string, clientId: string, requested: readonly string[]): Promise<boolean> {
  return consentCovers(await consents.find(userId, clientId), requested);
}

export async function rememberConsent(consents: ConsentRepository, userId: string, clientId: string, scopes: readonly string[], now: number): Promise<void> {
  await consents.grant(userId, clientId, [...scopes], now);
}
