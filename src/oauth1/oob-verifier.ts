import { randomInt } from 'node:crypto';

// The verifier of an out-of-band (`oob`) request token: the user reads it off our page and types it
// into the application (RFC 5849 section 2.2 leaves its form to the server). Pure functions; the
// randomness is injectable for tests.

/**
 * Twenty consonants and five digits: no vowels (no words get spelled, no O or I), and of the pairs
 * people mix up when copying by hand (0/O, 1/I/L, 5/S, 2/Z, 8/B) only one side is kept.
 */
export const OOB_VERIFIER_ALPHABET = 'BCDFGHJKMNPQRSTVWXYZ34679';
export const OOB_VERIFIER_LENGTH = 8;

/**
 * A new verifier, normalised (upper case, no dash): the form its digest is stored in. 25^8 is about
 * 2^37; with OOB_VERIFIER_ATTEMPTS guesses per request token (and each guess a request signed with
 * the consumer's and the request token's secrets) it stays unguessable.
 */
export function generateOobVerifier(pick: (n: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < OOB_VERIFIER_LENGTH; i++) code += OOB_VERIFIER_ALPHABET[pick(OOB_VERIFIER_ALPHABET.length)];
  return code;
}

/** KXRT-4MPQ, as the page shows it: two groups of four are easier to read back than eight in a row. */
export function formatOobVerifier(normalised: string): string {
  return `${normalised.slice(0, 4)}-${normalised.slice(4)}`;
}

/**
 * What the application sent, as stored: case, dashes and spaces do not matter, so a user who typed
 * `kxrt 4mpq` is not refused. Anything that can't be a verifier comes back as given (it then simply
 * does not match), so a long or odd value costs no more than one comparison.
 */
export function normaliseOobVerifier(typed: string): string {
  if (typed.length > 32) return typed;
  return typed.replace(/[\s\-\u2010-\u2015]/g, '').toUpperCase();
}
