import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { consumerMethods, parseSignatureMethods, requireConsumerMethod } from '../../src/oauth1/consumer-methods';
import { OAuth1Problem } from '../../src/oauth1/problems';
import { readRsaPublicKey, rsaPublicKeyOf } from '../../src/oauth1/rsa-keys';
import { requestorIdOf } from '../../src/oauth1/two-legged';

const keys = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/oauth1-rsa-sha2-signatures.json'), 'utf8')).keys as Record<
  string,
  { private_key_pem?: string; public_key_pem?: string; certificate_pem?: string }
>;
const pem2048 = keys['jira-2048'].public_key_pem as string;
const pem1024 = keys['jira-1024'].public_key_pem as string;

describe('readRsaPublicKey', () => {
  test('a 2048-bit SPKI key is kept as SPKI PEM', () => {
    const reading = readRsaPublicKey(pem2048, { allowLegacy1024: false });
    expect(reading).toMatchObject({ ok: true, bits: 2048 });
    if (reading.ok) expect(rsaPublicKeyOf(reading.pem).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  test('a 1024-bit key is refused unless the legacy opt-in is given', () => {
    const refused = readRsaPublicKey(pem1024, { allowLegacy1024: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/1024 bits; at least 2048/);
    expect(readRsaPublicKey(pem1024, { allowLegacy1024: true })).toMatchObject({ ok: true, bits: 1024 });
  });

  test('a certificate gives its public key; a PKCS#1 public key is read too', () => {
    const fromCert = readRsaPublicKey(keys['wiki-testcase'].certificate_pem as string, { allowLegacy1024: true });
    expect(fromCert).toMatchObject({ ok: true, bits: 1024 });
    if (fromCert.ok) expect(fromCert.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const pkcs1 = rsaPublicKeyOf(pem2048).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(readRsaPublicKey(pkcs1, { allowLegacy1024: false })).toMatchObject({ ok: true, bits: 2048 });
  });

  test.each([
    ['a private key', () => keys['jira-2048'].private_key_pem as string, /private key/],
    ['text that is no PEM', () => 'ssh-rsa AAAAB3Nza', /not a PEM/],
    ['a broken PEM', () => '-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n', /could not be read/],
    ['an EC key', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), /needs an RSA key/],
  ])('%s is refused', (_name, text, reason) => {
    const reading = readRsaPublicKey(text(), { allowLegacy1024: true });
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason).toMatch(reason);
  });
});

describe('consumer signature methods', () => {
  const config = { signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'PLAINTEXT'] as const, timestampWindowSeconds: 300, plaintextOverHttp: false };
  const cfg = config as unknown as Parameters<typeof consumerMethods>[1];
  const TLS = { tls: true };

  test("without its own list a consumer has the gateway's, minus RSA-SHA1 when it has no key", () => {
    expect(consumerMethods({ signatureMethods: null, rsaPublicKey: null }, cfg, TLS)).toEqual(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT']);
    expect(consumerMethods({ signatureMethods: null, rsaPublicKey: pem2048 }, cfg, TLS)).toContain('RSA-SHA1');
  });

  test("its own list narrows the gateway's, and the gateway's bounds it", () => {
    expect(consumerMethods({ signatureMethods: ['HMAC-SHA256'], rsaPublicKey: null }, cfg, TLS)).toEqual(['HMAC-SHA256']);
    const narrow = { ...cfg, signatureMethods: ['HMAC-SHA1'] } as typeof cfg;
    expect(consumerMethods({ signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256'], rsaPublicKey: null }, narrow, TLS)).toEqual(['HMAC-SHA1']);
  });

  test('PLAINTEXT drops out off TLS', () => {
    expect(consumerMethods({ signatureMethods: ['PLAINTEXT', 'HMAC-SHA1'], rsaPublicKey: null }, cfg, { tls: false })).toEqual(['HMAC-SHA1']);
  });

  test('a method the consumer may not use is signature_method_rejected (400) with the ones it may', () => {
    let problem: OAuth1Problem | undefined;
    try {
      requireConsumerMethod('HMAC-SHA1', { signatureMethods: ['RSA-SHA1', 'HMAC-SHA512'], rsaPublicKey: pem2048 }, cfg, TLS);
    } catch (err) {
      problem = err as OAuth1Problem;
    }
    expect(problem).toBeInstanceOf(OAuth1Problem);
    expect([problem?.problem, problem?.status, problem?.extra.oauth_acceptable_signature_methods]).toEqual(['signature_method_rejected', 400, 'HMAC-SHA512&RSA-SHA1']);
    expect(() => requireConsumerMethod('RSA-SHA1', { signatureMethods: ['RSA-SHA1'], rsaPublicKey: pem2048 }, cfg, TLS)).not.toThrow();
  });

  test('parseSignatureMethods keeps known names in canonical order and reports unknown ones', () => {
    expect(parseSignatureMethods(['RSA-SHA1', 'HMAC-SHA256'])).toEqual({ ok: true, methods: ['HMAC-SHA256', 'RSA-SHA1'] });
    expect(parseSignatureMethods(['HMAC-SHA1', 'hmac-sha256', 'RSA-SHA256'])).toEqual({ ok: false, unknown: ['hmac-sha256', 'RSA-SHA256'] });
  });
});

describe('requestorIdOf', () => {
  test('absent is null, one value is that value', () => {
    expect(requestorIdOf([['a', 'b']])).toBeNull();
    expect(requestorIdOf([['xoauth_requestor_id', 'alice@example.com']])).toBe('alice@example.com');
  });

  test('a repeated or empty xoauth_requestor_id is parameter_rejected', () => {
    expect(() => requestorIdOf([['xoauth_requestor_id', 'a'], ['xoauth_requestor_id', 'b']])).toThrow(OAuth1Problem);
    expect(() => requestorIdOf([['xoauth_requestor_id', '']])).toThrow(/empty/);
  });
});
