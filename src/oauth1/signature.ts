import { createHmac, verify, type KeyObject } from 'node:crypto';
import { safeEqual } from '../crypto/tokens';
import { percentEncode } from './encoding';
import { OAuth1Problem } from './problems';

/**
 * The methods this gateway speaks: RFC 5849's HMAC-SHA1, RSA-SHA1 and PLAINTEXT (sections 3.4.2 to
 * 3.4.4), and HMAC-SHA256 / HMAC-SHA512, which NetSuite and Magento integrations sign with: the same
 * construction as HMAC-SHA1 (same key, same base string) with another hash.
 */
export const SIGNATURE_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'PLAINTEXT'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export function isSignatureMethod(value: string): value is SignatureMethod {
  return (SIGNATURE_METHODS as readonly string[]).includes(value);
}

const HMAC_HASH: Partial<Record<SignatureMethod, string>> = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

/** The methods that sign with the consumer's (and token's) shared secret; RSA-SHA1 signs with a key pair. */
export function usesSharedSecret(method: SignatureMethod): boolean {
  return method !== 'RSA-SHA1';
}

/** encode(client secret) & encode(token secret); the `&` stays even when there is no token. */
export function signingKey(consumerSecret: string, tokenSecret: string | null | undefined): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret ?? '')}`;
}

export interface SignInput {
  method: SignatureMethod;
  /** Required for the HMAC methods and RSA-SHA1; PLAINTEXT signs nothing but the key. */
  baseString?: string;
  consumerSecret: string;
  tokenSecret?: string | null;
}

function unsupported(): OAuth1Problem {
  return new OAuth1Problem('signature_method_rejected', {
    advice: `Supported signature methods: ${SIGNATURE_METHODS.join(', ')}.`,
    extra: { oauth_acceptable_signature_methods: SIGNATURE_METHODS.map(percentEncode).join('&') },
  });
}

/**
 * The oauth_signature value (before it is percent-encoded onto the wire) of a shared-secret method.
 * RSA-SHA1 cannot be signed here: the gateway holds only the consumer's public key.
 */
export function sign(input: SignInput): string {
  const key = signingKey(input.consumerSecret, input.tokenSecret);
  if (input.method === 'PLAINTEXT') return key;
  const hash = HMAC_HASH[input.method];
  if (hash === undefined) throw unsupported();
  if (input.baseString === undefined) throw new TypeError(`${input.method} needs a signature base string`);
  return createHmac(hash, key).update(input.baseString, 'utf8').digest('base64');
}

export interface VerifyInput extends SignInput {
  /** The oauth_signature the client sent, already percent-decoded. */
  signature: string;
  /** The consumer's registered RSA public key; RSA-SHA1 is verified with it and nothing else. */
  rsaPublicKey?: KeyObject | null;
}

// Base64 as RFC 2045 writes it; Buffer.from would otherwise skip what it cannot read and verify the rest.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * RFC 5849 section 3.4.3: RSASSA-PKCS1-v1_5 with SHA-1 over the base string, checked with the
 * consumer's public key. The token secret plays no part: holding the private key proves the consumer.
 */
function verifyRsaSha1(input: VerifyInput): boolean {
  if (!input.rsaPublicKey) return false;
  if (input.baseString === undefined) throw new TypeError('RSA-SHA1 needs a signature base string');
  if (!BASE64.test(input.signature)) return false;
  return verify('sha1', Buffer.from(input.baseString, 'utf8'), input.rsaPublicKey, Buffer.from(input.signature, 'base64'));
}

/** True when the client's signature is the one its credentials produce; HMAC and PLAINTEXT compared in constant time. */
export function verifySignature(input: VerifyInput): boolean {
  if (input.method === 'RSA-SHA1') return verifyRsaSha1(input);
  return safeEqual(input.signature, sign(input));
}
