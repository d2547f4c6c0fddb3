import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/tokens';
import { percentEncode } from './encoding';
import { OAuth1Problem } from './problems';

/** The methods this gateway speaks (RFC 5849 sections 3.4.2 and 3.4.4); RSA-SHA1 needs client keys we do not keep. */
export const SIGNATURE_METHODS = ['HMAC-SHA1', 'PLAINTEXT'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export function isSignatureMethod(value: string): value is SignatureMethod {
  return (SIGNATURE_METHODS as readonly string[]).includes(value);
}

/** encode(client secret) & encode(token secret); the `&` stays even when there is no token. */
export function signingKey(consumerSecret: string, tokenSecret: string | null | undefined): string {
  return `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret ?? '')}`;
}

export interface SignInput {
  method: SignatureMethod;
  /** Required for HMAC-SHA1; PLAINTEXT signs nothing but the key. */
  baseString?: string;
  consumerSecret: string;
  tokenSecret?: string | null;
}

/** The oauth_signature value (before it is percent-encoded onto the wire). */
export function sign(input: SignInput): string {
  const key = signingKey(input.consumerSecret, input.tokenSecret);
  switch (input.method) {
    case 'PLAINTEXT':
      return key;
    case 'HMAC-SHA1':
      if (input.baseString === undefined) throw new TypeError('HMAC-SHA1 needs a signature base string');
      return createHmac('sha1', key).update(input.baseString, 'utf8').digest('base64');
    default:
      throw new OAuth1Problem('signature_method_rejected', {
        advice: `Supported signature methods: ${SIGNATURE_METHODS.join(', ')}.`,
        extra: { oauth_acceptable_signature_methods: SIGNATURE_METHODS.join('&') },
      });
  }
}

export interface VerifyInput extends SignInput {
  /** The oauth_signature the client sent, already percent-decoded. */
  signature: string;
}

/** True when the client's signature is the one its secrets produce; compared in constant time. */
export function verifySignature(input: VerifyInput): boolean {
  return safeEqual(input.signature, sign(input));
}
