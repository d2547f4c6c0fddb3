import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

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

let dummyHash: Promise<string> | undefined;
/**
 * Burns the same time as a real verification, so an unknown user or client answers no faster than a
 * wrong password (no user enumeration by timing).
 */
export async function verifyAgainstDummy(secret: string): Promise<false> {
  dummyHash ??= hashSecret(randomBytes(16).toString('hex'));
  await verifySecret(secret, await dummyHash);
  return false;
}

// Successful client-secret verifications, remembered by a digest of (stored hash, presented secret):
// a machine client authenticating on every token request would otherwise pay a full scrypt (tens of
// milliseconds and 32 MiB) each time. Only successes are kept, so guessing gets no faster; the key
// includes the stored hash, so a changed secret never matches an old entry; and memory holds digests,
// never secrets.
const verifiedTtlMs = 10 * 60 * 1000;
const verifiedLimit = 10_000;
const verified = new Map<string, number>();

function verifiedKey(secret: string, stored: string): string {
  return createHash('sha256').update(stored).update('\0').update(secret, 'utf8').digest('base64url');
}

/** verifySecret with a short-lived in-process memory of successes, for high-entropy client secrets. */
export async function verifyClientSecret(secret: string, stored: string, now = Date.now()): Promise<boolean> {
  const key = verifiedKey(secret, stored);
  const until = verified.get(key);
  if (until !== undefined && until > now) return true;
  verified.delete(key);
  const ok = await verifySecret(secret, stored);
  if (ok) {
    if (verified.size >= verifiedLimit) verified.delete(verified.keys().next().value as string);
    verified.set(key, now + verifiedTtlMs);
  }
  return ok;
}
