import { randomString } from '../../src/crypto/random-pool';
import { randomToken } from '../../src/crypto';

describe('randomString (the pooled CSPRNG)', () => {
  test('hands out each byte once: many draws across pool refills, sizes that straddle its end, none repeated', () => {
    const seen = new Set<string>();
    // 31-byte draws do not divide 4096: draws end at every offset, refills happen mid-way through.
    for (let i = 0; i < 5000; i++) {
      const token = randomString(31, 'base64url');
      expect(Buffer.from(token, 'base64url')).toHaveLength(31);
      seen.add(token);
    }
    expect(seen.size).toBe(5000);
    // No 8-byte window of one draw shows up again in another: no overlap between draws.
    const windows = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(randomString(24, 'hex'), 'hex');
      for (let at = 0; at + 8 <= bytes.length; at += 8) windows.add(bytes.subarray(at, at + 8).toString('hex'));
    }
    expect(windows.size).toBe(6000);
  });

  test('bytes are spread evenly (chi-square over 256 values, far below what a stuck or zeroed pool gives)', () => {
    const counts = new Array<number>(256).fill(0);
    let total = 0;
    for (let i = 0; i < 8000; i++) {
      for (const byte of Buffer.from(randomString(32, 'base64url'), 'base64url')) {
        counts[byte]++;
        total++;
      }
    }
    const expected = total / 256;
    const chiSquare = counts.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 255 degrees of freedom: the 99.9th percentile is about 330 (1e-5: 370); zeros left in the pool would give tens of thousands.
    expect(chiSquare).toBeLessThan(370);
  });

  test('large draws and every encoding keep their length', () => {
    expect(Buffer.from(randomString(1000, 'base64url'), 'base64url')).toHaveLength(1000);
    expect(randomString(8, 'hex')).toMatch(/^[0-9a-f]{16}$/);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(12)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});
