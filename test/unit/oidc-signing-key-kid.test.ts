import { calculateJwkThumbprint, type JWK } from 'jose';
import { SecretBox } from '../../src/crypto/sealed';
import { generateSigningPair, newSigningKey } from '../../src/oidc/keys';

// A kid is typed as a CLI argument (`keys retire KID`); one thumbprint in 64 started with "-" and read
// as an unknown option (CI failed on it). newSigningKey draws such a pair again.
const thumbprintOf = async (pair: Awaited<ReturnType<typeof generateSigningPair>>) =>
  calculateJwkThumbprint(pair.publicKey.export({ format: 'jwk' }) as JWK, 'sha256');

async function pairWhoseThumbprintStarts(dash: boolean) {
  for (;;) {
    const pair = await generateSigningPair('ES256');
    if ((await thumbprintOf(pair)).startsWith('-') === dash) return pair;
  }
}

test('a key pair whose thumbprint starts with a dash is drawn again; the next one becomes the key', async () => {
  const dashed = await pairWhoseThumbprintStarts(true);
  const plain = await pairWhoseThumbprintStarts(false);
  const drawn: string[] = [];
  const queue = [dashed, plain];
  const row = await newSigningKey('ES256', new SecretBox(Buffer.alloc(32, 7)), 'next', 0, async () => {
    const pair = queue.shift()!;
    drawn.push(await thumbprintOf(pair));
    return pair;
  });
  expect(drawn).toHaveLength(2);
  expect(drawn[0].startsWith('-')).toBe(true);
  expect(row.kid).toBe(drawn[1]);
  expect(row.kid.startsWith('-')).toBe(false);
  expect(JSON.parse(row.publicJwk)).toMatchObject({ kid: drawn[1], alg: 'ES256', use: 'sig' });
});

test('a pair with a plain thumbprint is kept at the first draw, and the kid is its RFC 7638 thumbprint', async () => {
  const plain = await pairWhoseThumbprintStarts(false);
  let draws = 0;
  const row = await newSigningKey('ES256', new SecretBox(Buffer.alloc(32, 7)), 'active', 5, async () => {
    draws += 1;
    return plain;
  });
  expect(draws).toBe(1);
  expect(row.kid).toBe(await thumbprintOf(plain));
  expect(row).toMatchObject({ state: 'active', activatedAt: 5 });
});
