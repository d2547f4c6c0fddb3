import type { Clock } from '../clock';
import type { Repositories } from '../storage/types';
import type { SecretBox } from './sealed';

/**
 * Whether the configured secret key is the one the stored secrets were sealed with, asked once at
 * start (serve and every admin command): a wrong key (a typo, a node started with another
 * GATEWAY_SECRET_KEY, a lost key file) would otherwise answer 500 to every OAuth 1.0a request.
 * A known value is sealed into the settings table the first time; after that, opening it is the test.
 */

export const KEY_CHECK_SETTING = 'secret_key_check';
export const KEY_CHECK_TEXT = 'oauth-gateway secret key check v1';

export class SecretKeyMismatchError extends Error {
  constructor(source: string) {
    super(
      `the secret key (${source}) does not open the secrets stored in the database: start with the key they were sealed with, or re-seal them with "oauth-gateway secrets rotate" (README: Rotating the secret key)`,
    );
    this.name = 'SecretKeyMismatchError';
  }
}

function opens(secrets: SecretBox, sealed: string): string | null {
  try {
    return secrets.open(sealed);
  } catch {
    return null;
  }
}

/** Throws SecretKeyMismatchError when the key does not open what is stored; `source` names the key in the message. */
export async function checkSecretKey(
  store: Pick<Repositories, 'settings' | 'sealedSecrets'>,
  secrets: SecretBox,
  clock: Clock,
  source: string,
): Promise<void> {
  let check = await store.settings.get(KEY_CHECK_SETTING);
  if (check === null) {
    // Data sealed before the check existed decides for it; then the check is stored once (of two
    // processes starting at once with different keys, the second finds the first one's value).
    const sample = await store.sealedSecrets.sample();
    if (sample !== null && opens(secrets, sample) === null) throw new SecretKeyMismatchError(source);
    await store.settings.putIfAbsent(KEY_CHECK_SETTING, secrets.seal(KEY_CHECK_TEXT), clock());
    check = await store.settings.get(KEY_CHECK_SETTING);
  }
  if (check === null || opens(secrets, check) !== KEY_CHECK_TEXT) throw new SecretKeyMismatchError(source);
}

/** How a loaded key is named in messages: its file, or the configuration setting (never its value). */
export function keySource(loaded: { file?: string }): string {
  return loaded.file ?? 'GATEWAY_SECRET_KEY / secretKey';
}
