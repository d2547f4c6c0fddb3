import { randomInt } from 'node:crypto';

// RFC 8628 user codes. Pure functions (the randomness is injectable for tests).

export const DEVICE_CODE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** Section 3.5: each slow_down adds five seconds to the polling interval. */
export const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * Section 6.1's alphabet: twenty consonants. No vowels (no words get spelled, and no O or I to
 * mistake for 0 or 1) and no digits at all. Eight characters give 20^8 (about 2^34.6) codes, plenty
 * while entry attempts are limited per address and a code lives minutes.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;

/** A new user code, normalised (upper case, no dash): the form it is stored and looked up in. */
export function generateUserCode(pick: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[pick(USER_CODE_ALPHABET.length)];
  return code;
}

/** XXXX-XXXX, as the device shows it. */
export function formatUserCode(normalised: string): string {
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

const normalisedShape = new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`);

/**
 * What the user typed, as stored: case, dashes and spaces do not matter (section 6.1). Null when
 * it can't be a user code at all (wrong length or a character outside the alphabet).
 */
export function normaliseUserCode(typed: string): string | null {
  if (typed.length > 32) return null;
  const code = typed.replace(/[\s\-\u2010-\u2015]/g, '').toUpperCase();
  return normalisedShape.test(code) ? code : null;
}
