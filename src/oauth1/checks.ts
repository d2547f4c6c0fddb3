import { hash } from 'node:crypto';
import type { GatewayConfig } from '../config/schema';
import { percentEncode } from './encoding';
import { OAuth1Problem, parameterAbsent, parameterRejected, timestampRefused } from './problems';
import { SIGNATURE_METHODS, isSignatureMethod, type SignatureMethod } from './signature';

/**
 * The checks every signed request passes before any lookup: the right parameters are there, the
 * version and signature method are ones we speak, the timestamp is recent and the nonce is sane.
 * Whether the nonce was seen before needs the cache and is the endpoint's job; the key it uses is
 * built here so every endpoint builds it the same way.
 */

// two_legged: a resource request signed by the consumer alone (two-legged.ts); oauth_token is absent or empty.
export type EndpointKind = 'request_token' | 'access_token' | 'refresh' | 'resource' | 'xauth' | 'two_legged';

export type ProtocolChecksConfig = Pick<GatewayConfig['oauth1'], 'signatureMethods' | 'timestampWindowSeconds' | 'plaintextOverHttp'>;

/** How the request reached us, as far as the checks care. */
export interface Transport {
  /** The client spoke TLS to us (or to a trusted proxy in front of us): see src/http/public-base.ts. */
  tls: boolean;
}

const ALWAYS_REQUIRED = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'] as const;

const REQUIRED_BY_KIND: Record<EndpointKind, readonly string[]> = {
  request_token: ['oauth_callback'],
  access_token: ['oauth_token', 'oauth_verifier'],
  refresh: ['oauth_token', 'oauth_session_handle'],
  resource: ['oauth_token'],
  xauth: ['x_auth_username', 'x_auth_password', 'x_auth_mode'],
  two_legged: [],
};

// RFC 5849 section 3.3 lets PLAINTEXT omit both; every other method must send them.
const REPLAY_PARAMETERS = ['oauth_timestamp', 'oauth_nonce'] as const;

// The parameters a request of each kind must carry, with and without the replay ones (PLAINTEXT may
// leave them out), listed once rather than per request.
const requiredLists = new Map<string, readonly string[]>();
function requiredParameters(kind: EndpointKind, plaintext: boolean): readonly string[] {
  const key = plaintext ? kind + ' plaintext' : kind;
  let list = requiredLists.get(key);
  if (!list) requiredLists.set(key, (list = [...ALWAYS_REQUIRED, ...REQUIRED_BY_KIND[kind], ...(plaintext ? [] : REPLAY_PARAMETERS)]));
  return list;
}

// oauth_version is 1.0 (RFC 5849 section 3.1); "1.0a" names the 2009 revision of the same protocol
// and some clients send it (node-oauth's README example does), so it is read as 1.0.
const ACCEPTED_VERSIONS: readonly string[] = ['1.0', '1.0a', '1.0A'];

const MAX_NONCE_LENGTH = 255;
// Fifteen digits is far beyond any real clock and keeps the number exact in a double.
const TIMESTAMP = /^[0-9]{1,15}$/;

export interface CheckedParameters {
  consumerKey: string;
  signatureMethod: SignatureMethod;
  /** As sent (percent-decoded); compare it with verifySignature, never with ===. */
  signature: string;
  /** Epoch seconds, or null when PLAINTEXT left it out. */
  timestamp: number | null;
  nonce: string | null;
  token: string | null;
  callback: string | null;
  verifier: string | null;
  sessionHandle: string | null;
}

function present(params: Readonly<Record<string, string>>, name: string): string | null {
  const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
  // An empty value carries nothing; treating it as absent gives the client the clearer report.
  return value === undefined || value === '' ? null : value;
}

/**
 * Checks the protocol parameters of one request. `now` is epoch milliseconds. Throws OAuth1Problem
 * with the code the ProblemReporting extension defines; returns the values the endpoint needs.
 */
export function checkProtocolParameters(
  kind: EndpointKind,
  params: Readonly<Record<string, string>>,
  config: ProtocolChecksConfig,
  now: number,
  transport: Transport,
): CheckedParameters {
  const method = present(params, 'oauth_signature_method');
  const required = requiredParameters(kind, method === 'PLAINTEXT');
  for (const name of required) {
    if (present(params, name) !== null) continue;
    // Reported all at once, in this order: only a refused request gets here.
    throw parameterAbsent(required.filter((n) => present(params, n) === null));
  }

  const version = Object.prototype.hasOwnProperty.call(params, 'oauth_version') ? params.oauth_version : undefined;
  if (version !== undefined && !ACCEPTED_VERSIONS.includes(version)) {
    throw new OAuth1Problem('version_rejected', {
      advice: 'Only OAuth version 1.0 (also written 1.0a) is supported.',
      extra: { oauth_acceptable_versions: '1.0-1.0' },
    });
  }

  const signatureMethod = checkSignatureMethod(method, config, transport);

  const timestamp = checkTimestamp(present(params, 'oauth_timestamp'), params, config.timestampWindowSeconds, now);
  const nonce = checkNonce(params);

  if (kind === 'xauth' && params.x_auth_mode !== 'client_auth') {
    throw parameterRejected(['x_auth_mode'], 'x_auth_mode must be client_auth.');
  }

  return {
    consumerKey: params.oauth_consumer_key,
    signatureMethod,
    signature: params.oauth_signature,
    timestamp,
    nonce,
    token: present(params, 'oauth_token'),
    callback: present(params, 'oauth_callback'),
    verifier: present(params, 'oauth_verifier'),
    sessionHandle: present(params, 'oauth_session_handle'),
  };
}

/**
 * The configured methods this request may use. PLAINTEXT sends the consumer and token secrets
 * themselves, so RFC 5849 section 3.4.4 allows it only over TLS: on plain http anyone on the path
 * reads them, and without a nonce the request can be replayed as well. oauth1.plaintextOverHttp
 * lifts that for local development.
 */
function acceptableMethods(config: ProtocolChecksConfig, transport: Transport): SignatureMethod[] {
  const configured = config.signatureMethods.filter((m) => (SIGNATURE_METHODS as readonly string[]).includes(m));
  if (transport.tls || config.plaintextOverHttp) return configured;
  return configured.filter((m) => m !== 'PLAINTEXT');
}

function checkSignatureMethod(method: string | null, config: ProtocolChecksConfig, transport: Transport): SignatureMethod {
  const acceptable = acceptableMethods(config, transport);
  if (method !== null && isSignatureMethod(method) && acceptable.includes(method)) return method;
  const extra: Record<string, string> = {};
  if (acceptable.length > 0) extra.oauth_acceptable_signature_methods = acceptable.map(percentEncode).join('&');
  // Refused for want of TLS (or nothing is left on plain http when PLAINTEXT is all that is configured).
  const plaintextNeedsTls = acceptable.length === 0 || (method === 'PLAINTEXT' && config.signatureMethods.includes('PLAINTEXT'));
  const advice = plaintextNeedsTls
    ? 'PLAINTEXT sends the secrets in the clear, so it needs TLS (RFC 5849 section 3.4.4): use the https address' +
      (acceptable.length > 0 ? `, or sign with ${acceptable.join(', ')}.` : '.')
    : `Supported signature methods: ${acceptable.join(', ')}.`;
  throw new OAuth1Problem('signature_method_rejected', { advice, extra });
}

function checkTimestamp(
  value: string | null,
  params: Readonly<Record<string, string>>,
  windowSeconds: number,
  now: number,
): number | null {
  const sent = Object.prototype.hasOwnProperty.call(params, 'oauth_timestamp');
  if (!sent) return null;
  const nowSeconds = Math.floor(now / 1000);
  const min = nowSeconds - windowSeconds;
  const max = nowSeconds + windowSeconds;
  if (value === null || !TIMESTAMP.test(value)) {
    // Malformed rather than stale: a 400, but still with the range so the client can recover.
    throw timestampRefused(min, max, { status: 400, advice: 'oauth_timestamp must be whole seconds since 1970.' });
  }
  const timestamp = Number(value);
  if (timestamp < min || timestamp > max) throw timestampRefused(min, max);
  return timestamp;
}

function checkNonce(params: Readonly<Record<string, string>>): string | null {
  if (!Object.prototype.hasOwnProperty.call(params, 'oauth_nonce')) return null;
  const nonce = params.oauth_nonce;
  if (nonce === '' || nonce.length > MAX_NONCE_LENGTH) {
    throw parameterRejected(['oauth_nonce'], `oauth_nonce must be 1 to ${MAX_NONCE_LENGTH} characters.`);
  }
  return nonce;
}

/**
 * The replay-cache key: RFC 5849 section 3.3 scopes a nonce to its timestamp, client and token.
 * The parts are encoded (so `&` cannot occur inside one) and hashed, so an attacker's long nonce
 * costs the cache 64 hex characters and nothing more.
 */
export function nonceKey(consumerKey: string, token: string | null, timestamp: number | string | null, nonce: string): string {
  const material = [consumerKey, token ?? '', timestamp === null ? '' : String(timestamp), nonce].map(percentEncode).join('&');
  return `oauth1:nonce:${hash('sha256', material, 'hex')}`;
}

/**
 * How long a nonce must be remembered: a timestamp `window` seconds ahead of our clock stays
 * acceptable until our clock is `window` seconds past it, so 2 * window, plus a second for the
 * rounding of `now` to whole seconds.
 */
export function nonceTtlSeconds(windowSeconds: number): number {
  return 2 * windowSeconds + 1;
}
