import type { ConsentRepository, ConsentRow } from '../storage/types';
import { hasScopes } from './scope';

// Remembered consent: once a user allowed a client some scopes, a later request for the same or
// fewer scopes does not ask again (unless the client sends prompt=consent). Asking for one more
// scope asks again, and approving adds it to what is remembered.

/** True when the remembered grant covers every requested scope (an empty request is covered by any grant). */
export function consentCovers(consent: Pick<ConsentRow, 'scopes'> | null, requested: readonly string[]): boolean {
  if (!consent) return false;
  return hasScopes(consent.scopes, requested);
}

export async function hasConsent(consents: ConsentRepository, userId: string, clientId: string, requested: readonly string[]): Promise<boolean> {
  return consentCovers(await consents.find(userId, clientId), requested);
}

export async function rememberConsent(consents: ConsentRepository, userId: string, clientId: string, scopes: readonly string[], now: number): Promise<void> {
  await consents.grant(userId, clientId, [...scopes], now);
}

/**
 * Whether remembered consent may stand in for the user on the consent page. Only for a confidential
 * client asking for a code: a public client can be impersonated by anyone who knows its client_id and
 * redirect URI (nothing proves who is asking), and an implicit answer puts the token in the browser
 * of whatever page runs at the redirect URI; either would get a code or token without the user
 * seeing a page. So for those the user decides every time, and prompt=none can't succeed.
 */
export function rememberedConsentApplies(client: { secretHash: string | null }, responseType: string): boolean {
  return client.secretHash !== null && responseType === 'code';
}

/** Consent is remembered only where it can be used again (a confidential client). */
export function consentIsRemembered(client: { secretHash: string | null }): boolean {
  return client.secretHash !== null;
}
