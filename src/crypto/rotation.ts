import type { Repositories } from '../storage/types';
import { KEY_CHECK_SETTING, KEY_CHECK_TEXT } from './key-check';
import type { SecretBox } from './sealed';

/**
 * Re-seals every stored secret, and the key check, from one key to another. Run it inside
 * store.transaction(): a secret that does not open with `from` throws, and nothing changes.
 * Returns how many secrets were re-sealed.
 */
export async function resealStoredSecrets(tx: Pick<Repositories, 'sealedSecrets' | 'settings'>, from: SecretBox, to: SecretBox, now: number): Promise<number> {
  const count = await tx.sealedSecrets.resealAll((sealed) => to.seal(from.open(sealed)));
  await tx.settings.put(KEY_CHECK_SETTING, to.seal(KEY_CHECK_TEXT), now);
  return count;
}
