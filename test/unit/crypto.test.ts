import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  SecretBox,
  decodeSecretKey,
  hashSecret,
  loadOrCreateSecretKey,
  randomIdentifier,
  randomToken,
  safeEqual,
  tokenDigest,
  verifySecret,
} from '../../src/crypto';

describe('randomToken', () => {
  test('is 43 base64url characters by default (32 bytes, 256 bits)', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  test('never goes below 128 bits when asked for 16 bytes', () => {
    const token = randomToken(16);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
  });

  test('1000 tokens are all distinct', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => randomToken()));
    expect(tokens.size).toBe(1000);
  });

  test('tokens use the whole base64url alphabet', () => {
    // 1000 tokens of 43 characters: a missing letter would mean a narrower source than 6 bits a character.
    const seen = new Set(Array.from({ length: 1000 }, () => randomToken()).join(''));
    expect(seen.size).toBe(64);
  });

  test('the bits of a token are balanced', () => {
    // 1000 * 256 bits; a fair source gives 50% ones, and 49-51% is more than 6 standard deviations wide.
    let ones = 0;
    let bits = 0;
    for (let i = 0; i < 1000; i++) {
      for (const byte of Buffer.from(randomToken(), 'base64url')) {
        for (let b = 0; b < 8; b++) ones += (byte >> b) & 1;
        bits += 8;
      }
    }
    expect(ones / bits).toBeGreaterThan(0.49);
    expect(ones / bits).toBeLessThan(0.51);
  });
});

describe('randomIdentifier', () => {
  // 0xF8 is 111110.. in bits: base64url character 62, "-".
  const dashFirst = Buffer.from([0xf8, 1, 2, 3, 4, 5]);
  const letterFirst = Buffer.from([0x00, 1, 2, 3, 4, 5]);

  test('is base64url of the bytes asked for', () => {
    const id = randomIdentifier(18);
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(18);
  });

  test('never starts with a dash (a CLI argument would read as an option): such a draw is redrawn', () => {
    expect(dashFirst.toString('base64url')).toMatch(/^-/);
    const draws = [dashFirst, dashFirst, letterFirst];
    const drawn: number[] = [];
    const id = randomIdentifier(6, (size) => {
      drawn.push(size);
      return draws.shift() as Buffer;
    });
    expect(id).toBe(letterFirst.toString('base64url'));
    expect(drawn).toEqual([6, 6, 6]);
  });

  test('a thousand identifiers: none starts with a dash, all distinct', () => {
    const ids = Array.from({ length: 1000 }, () => randomIdentifier(16));
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(1000);
  });
});

describe('tokenDigest', () => {
  test('is the hex SHA-256 of "abc" (FIPS 180-2 test vector)', () => {
    expect(tokenDigest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  test('is the hex SHA-256 of the empty string', () => {
    expect(tokenDigest('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('is the hex SHA-256 of the 448-bit FIPS 180-2 message', () => {
    expect(tokenDigest('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  test('hashes the UTF-8 bytes of the token', () => {
    expect(tokenDigest('é')).toBe(createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('hex'));
  });

  test('is 64 lowercase hex characters', () => {
    expect(tokenDigest(randomToken())).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('safeEqual', () => {
  test('is true for equal strings', () => {
    expect(safeEqual('s3cret-value', 's3cret-value')).toBe(true);
  });

  test('is true for two empty strings', () => {
    expect(safeEqual('', '')).toBe(true);
  });

  test('is false for strings of equal length that differ', () => {
    expect(safeEqual('s3cret-valuf', 's3cret-value')).toBe(false);
  });

  test('is false when the actual value is shorter', () => {
    expect(safeEqual('s3cret', 's3cret-value')).toBe(false);
  });

  test('is false when the actual value is longer', () => {
    expect(safeEqual('s3cret-value-and-more', 's3cret-value')).toBe(false);
  });

  test('is false against an empty expected value', () => {
    expect(safeEqual('x', '')).toBe(false);
  });

  test('compares Unicode by its UTF-8 bytes, not by what looks alike', () => {
    expect(safeEqual('\u00e9', 'e\u0301')).toBe(false);
    expect(safeEqual('\u00e9', '\u00e9')).toBe(true);
  });
});

describe('hashSecret and verifySecret', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashSecret('correct horse battery staple');
  });

  test('a hash verifies the secret it was made from', async () => {
    expect(await verifySecret('correct horse battery staple', stored)).toBe(true);
  });

  test('a wrong secret does not verify', async () => {
    expect(await verifySecret('correct horse battery stapler', stored)).toBe(false);
  });

  test('the empty secret does not verify against a real hash', async () => {
    expect(await verifySecret('', stored)).toBe(false);
  });

  test('the hash is in the scrypt$N$r$p$salt$hash format and holds no trace of the secret', () => {
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain('horse');
  });

  test('two hashes of the same secret differ (salted)', async () => {
    const again = await hashSecret('correct horse battery staple');
    expect(again).not.toBe(stored);
    expect(await verifySecret('correct horse battery staple', again)).toBe(true);
  });

  test('a secret verifies in either Unicode normalization form', async () => {
    const composed = await hashSecret('caf\u00e9');
    expect(await verifySecret('cafe\u0301', composed)).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['plain text', 'correct horse battery staple'],
    ['another scheme', stored0('bcrypt')],
    ['too few parts', 'scrypt$32768$8$1$c2FsdA'],
    ['too many parts', 'scrypt$32768$8$1$c2FsdA$aGFzaA$extra'],
    ['non-numeric cost', 'scrypt$abc$8$1$c2FsdA$aGFzaA'],
    ['zero cost', 'scrypt$0$8$1$c2FsdA$aGFzaA'],
    ['cost not a power of two', 'scrypt$1000$8$1$c2FsdA$aGFzaA'],
    ['cost beyond the memory limit', 'scrypt$1048576$8$1$c2FsdA$aGFzaA'],
    ['fractional parameter', 'scrypt$32768$8.5$1$c2FsdA$aGFzaA'],
    ['empty hash', 'scrypt$32768$8$1$c2FsdA$'],
  ])('a malformed stored hash (%s) verifies nothing', async (_name, malformed) => {
    await expect(verifySecret('correct horse battery staple', malformed)).resolves.toBe(false);
  });

  test('a truncated stored hash verifies nothing', async () => {
    expect(await verifySecret('correct horse battery staple', stored.slice(0, -4))).toBe(false);
  });
});

/** A well-formed stored hash under another scheme name. */
function stored0(scheme: string): string {
  return `${scheme}$32768$8$1$c2FsdA$aGFzaA`;
}

describe('SecretBox', () => {
  const key = Buffer.alloc(32, 7);
  const box = new SecretBox(key);

  /** Flips one bit in one base64url part of a sealed value. */
  function tamper(sealed: string, part: number, index = 0): string {
    const parts = sealed.split('.');
    const bytes = Buffer.from(parts[part], 'base64url');
    bytes[index] ^= 0x01;
    parts[part] = bytes.toString('base64url');
    return parts.join('.');
  }

  test('opens what it sealed', () => {
    expect(box.open(box.seal('consumer-secret'))).toBe('consumer-secret');
  });

  test('round-trips the empty string and Unicode', () => {
    expect(box.open(box.seal(''))).toBe('');
    expect(box.open(box.seal('žluťoučký kůň 🐴'))).toBe('žluťoučký kůň 🐴');
  });

  test('the sealed form is v1 with three base64url parts and no plaintext', () => {
    const sealed = box.seal('consumer-secret');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/);
    expect(sealed).not.toContain('consumer-secret');
  });

  test('sealing the same plaintext twice gives different values (fresh IV)', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  test('a flipped ciphertext byte is detected', () => {
    expect(() => box.open(tamper(box.seal('consumer-secret'), 3, 2))).toThrow();
  });

  test('a flipped tag byte is detected', () => {
    expect(() => box.open(tamper(box.seal('consumer-secret'), 2))).toThrow();
  });

  test('a flipped IV byte is detected', () => {
    expect(() => box.open(tamper(box.seal('consumer-secret'), 1))).toThrow();
  });

  test('a truncated tag is refused', () => {
    const parts = box.seal('consumer-secret').split('.');
    parts[2] = Buffer.from(parts[2], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  test('a value sealed under another key does not open', () => {
    const other = new SecretBox(Buffer.alloc(32, 8));
    expect(() => box.open(other.seal('consumer-secret'))).toThrow();
  });

  test('an unknown format is refused', () => {
    expect(() => box.open('v2.a.b.c')).toThrow(/unknown format/);
    expect(() => box.open('not sealed at all')).toThrow(/unknown format/);
  });

  test('a key that is not 32 bytes is refused', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32-byte key/);
  });
});

describe('loadOrCreateSecretKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-key-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without a configured key it generates a 32-byte key into secret.key', () => {
    const result = loadOrCreateSecretKey(null, dir);
    expect(result.generated).toBe(true);
    expect(result.key).toHaveLength(32);
    expect(result.file).toBe(path.join(dir, 'secret.key'));
    expect(fs.readFileSync(path.join(dir, 'secret.key'), 'utf8').trim()).toBe(result.key.toString('hex'));
  });

  test('the generated file is readable by its owner only (0600)', () => {
    loadOrCreateSecretKey(null, dir);
    expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  test('a second call reads the same key back and generates nothing', () => {
    const first = loadOrCreateSecretKey(null, dir);
    const second = loadOrCreateSecretKey(null, dir);
    expect(second.generated).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  test('creates a data dir that does not exist yet', () => {
    const nested = path.join(dir, 'a', 'b');
    const result = loadOrCreateSecretKey(null, nested);
    expect(fs.existsSync(path.join(nested, 'secret.key'))).toBe(true);
    expect(result.generated).toBe(true);
  });

  test('a configured key wins over the file', () => {
    loadOrCreateSecretKey(null, dir);
    const configured = 'ab'.repeat(32);
    const result = loadOrCreateSecretKey(configured, dir);
    expect(result.generated).toBe(false);
    expect(result.key.equals(Buffer.alloc(32, 0xab))).toBe(true);
  });

  test('a configured key writes no file', () => {
    loadOrCreateSecretKey('ab'.repeat(32), dir);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
  });

  test('a configured key in hex decodes to its bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    expect(loadOrCreateSecretKey(bytes.toString('hex'), dir).key.equals(bytes)).toBe(true);
    expect(loadOrCreateSecretKey(bytes.toString('hex').toUpperCase(), dir).key.equals(bytes)).toBe(true);
  });

  test('a configured key in base64 decodes to its bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i));
    expect(loadOrCreateSecretKey(bytes.toString('base64'), dir).key.equals(bytes)).toBe(true);
  });

  test('a configured key in base64url decodes to its bytes', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    expect(bytes.toString('base64url')).toMatch(/[-_]/);
    expect(loadOrCreateSecretKey(bytes.toString('base64url'), dir).key.equals(bytes)).toBe(true);
  });

  test('a key file written by an operator in base64 is read', () => {
    const bytes = Buffer.alloc(32, 0x5a);
    fs.writeFileSync(path.join(dir, 'secret.key'), bytes.toString('base64') + '\n', { mode: 0o600 });
    const result = loadOrCreateSecretKey(null, dir);
    expect(result.generated).toBe(false);
    expect(result.key.equals(bytes)).toBe(true);
  });

  test('a key file that does not hold 32 bytes is refused', () => {
    fs.writeFileSync(path.join(dir, 'secret.key'), '', { mode: 0o600 });
    expect(() => loadOrCreateSecretKey(null, dir)).toThrow(/32 bytes/);
  });

  test('a configured key that does not decode to 32 bytes is refused', () => {
    expect(() => decodeSecretKey('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});
