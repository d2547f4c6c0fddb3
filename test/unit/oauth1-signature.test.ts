import { createHmac } from 'node:crypto';
import { OAuth1Problem } from '../../src/oauth1/problems';
import { isSignatureMethod, sign, signingKey, verifySignature, type SignatureMethod } from '../../src/oauth1/signature';

describe('signingKey', () => {
  test('encodes both secrets and joins them with &', () => {
    expect(signingKey('a&b c', 'd+e')).toBe('a%26b%20c&d%2Be');
  });

  test('keeps the & when there is no token secret', () => {
    expect(signingKey('cs', null)).toBe('cs&');
  });
});

describe('sign', () => {
  test('HMAC-SHA1 is the base64 HMAC of the base string under the encoded key', () => {
    const expected = createHmac('sha1', 'c%20s&t%21').update('GET&x&y').digest('base64');
    expect(sign({ method: 'HMAC-SHA1', baseString: 'GET&x&y', consumerSecret: 'c s', tokenSecret: 't!' })).toBe(expected);
  });

  test('HMAC-SHA1 without a base string is a programming error', () => {
    expect(() => sign({ method: 'HMAC-SHA1', consumerSecret: 'c' })).toThrow(TypeError);
  });

  test('PLAINTEXT ignores the base string', () => {
    expect(sign({ method: 'PLAINTEXT', baseString: 'anything', consumerSecret: 'c', tokenSecret: 't' })).toBe('c&t');
  });

  test('RSA-SHA1 cannot be signed with secrets: signature_method_rejected', () => {
    expect(() => sign({ method: 'RSA-SHA1' as SignatureMethod, baseString: 'b', consumerSecret: 'c' })).toThrow(OAuth1Problem);
  });
});

describe('verifySignature', () => {
  const input = { method: 'HMAC-SHA1' as const, baseString: 'POST&u&p', consumerSecret: 'cs', tokenSecret: 'ts' };

  test('accepts the signature the secrets produce', () => {
    expect(verifySignature({ ...input, signature: sign(input) })).toBe(true);
  });

  test('refuses a signature made with another token secret', () => {
    expect(verifySignature({ ...input, signature: sign({ ...input, tokenSecret: 'other' }) })).toBe(false);
  });

  test('refuses a signature over another base string', () => {
    expect(verifySignature({ ...input, signature: sign({ ...input, baseString: 'POST&u&q' }) })).toBe(false);
  });

  test('refuses an empty signature', () => {
    expect(verifySignature({ ...input, signature: '' })).toBe(false);
  });

  test('refuses a PLAINTEXT signature that is the raw, unencoded secrets', () => {
    expect(verifySignature({ method: 'PLAINTEXT', consumerSecret: 'a&b', tokenSecret: '', signature: 'a&b&' })).toBe(false);
  });
});

describe('isSignatureMethod', () => {
  test.each([
    ['HMAC-SHA1', true],
    ['PLAINTEXT', true],
    ['RSA-SHA1', true],
    ['HMAC-SHA256', true],
    ['HMAC-SHA512', true],
    ['RSA-SHA256', false],
    ['hmac-sha1', false],
  ])('%p -> %p', (value, expected) => {
    expect(isSignatureMethod(value)).toBe(expected);
  });
});
