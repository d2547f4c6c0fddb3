import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt parameters: N=2^15, r=8, p=1 (about 32 MiB, tens of milliseconds), OWASP's recommended floor.
const N = 1 << 15;
const r = 8;
const p = 1;
const keyLength = 32;
const maxmem = 64 * 1024 * 1024;

function derive(secret: string, salt: Buffer, n: number, rr: number, pp: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFKC'), salt, keyLength, { N: n, r: rr, p: pp, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password or client secret: `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, r, p);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Verifies in constant time; a malformed stored hash verifies nothing. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, rr, pp] = parts.slice(1, 4).map(Number);
  if (![n, rr, pp].every((v) => Number.isInteger(v) && v > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64url');
  const expected = Buffer.from(parts[5], 'base64url');
  let actual: Buffer;
  try {
    actual = await derive(secret, salt, n, rr, pp);
  } catch {
    // Parameters scrypt refuses (N not a power of two, beyond maxmem): nothing verifies against them.
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * A stored hash in the real format and parameters that no secret matches (its key is random bytes,
 * not a derivation): verifying against it costs exactly what a real verification costs, so an
 * unknown user or client answers no faster than a wrong password (no enumeration by timing).
 */
export function unmatchableHash(): string {
  return ['scrypt', N, r, p, randomBytes(16).toString('base64url'), randomBytes(keyLength).toString('base64url')].join('$');
}
