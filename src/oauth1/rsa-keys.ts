import { createPublicKey, type KeyObject } from 'node:crypto';

/**
 * The RSA public keys consumers register for RSA-SHA1 (RFC 5849 section 3.4.3). Registration
 * checks the key once (readRsaPublicKey); verification parses the stored PEM once per process
 * (rsaPublicKeyOf), not once per request.
 */

/** NIST SP 800-131A: RSA keys below 2048 bits are disallowed for signatures. */
export const MIN_RSA_BITS = 2048;
/** What Jira application links of the OAuth 1.0a era generated; accepted only when asked for. */
export const LEGACY_RSA_BITS = 1024;

export type RsaKeyReading = { ok: true; pem: string; bits: number } | { ok: false; reason: string };

/**
 * A PEM public key (SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY") or X.509 certificate, as the
 * SPKI PEM to store. A private key is refused even though its public half could be derived: the
 * gateway must never be handed, and so never store or log, a consumer's private key.
 */
export function readRsaPublicKey(text: string, options: { allowLegacy1024: boolean }): RsaKeyReading {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    return { ok: false, reason: 'this is a private key: register the public key only (openssl rsa -in key.pem -pubout)' };
  }
  if (!/-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(text)) {
    return { ok: false, reason: 'not a PEM public key or certificate (-----BEGIN PUBLIC KEY-----)' };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: 'pem' });
  } catch {
    return { ok: false, reason: 'the PEM could not be read as a public key' };
  }
  if (key.asymmetricKeyType !== 'rsa') return { ok: false, reason: `RSA-SHA1 needs an RSA key, not ${key.asymmetricKeyType ?? 'this key type'}` };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const floor = options.allowLegacy1024 ? LEGACY_RSA_BITS : MIN_RSA_BITS;
  if (bits < floor) {
    const hint = bits >= LEGACY_RSA_BITS && !options.allowLegacy1024 ? ' (1024-bit keys of older Jira links need the explicit opt-in)' : '';
    return { ok: false, reason: `the RSA key has ${bits} bits; at least ${floor} are required${hint}` };
  }
  return { ok: true, pem: key.export({ type: 'spki', format: 'pem' }).toString(), bits };
}

// Parsed keys by their PEM. Bounded so a registry of many consumers cannot grow it without end;
// when full it starts over, which costs only re-parsing.
const MAX_PARSED_KEYS = 1024;
const parsed = new Map<string, KeyObject>();

/** The KeyObject of a stored (already checked) SPKI PEM. */
export function rsaPublicKeyOf(pem: string): KeyObject {
  let key = parsed.get(pem);
  if (!key) {
    if (parsed.size >= MAX_PARSED_KEYS) parsed.clear();
    key = createPublicKey({ key: pem, format: 'pem' });
    parsed.set(pem, key);
  }
  return key;
}
