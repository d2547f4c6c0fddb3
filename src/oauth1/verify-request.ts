import type { Context, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { ConsumerRow } from '../storage/types';
import { readRawBody } from '../http/body';
import { PARAMETER_BYTES } from '../http/parameter-limits';
import { parameterNames } from '../http/form';
import { signatureBaseString } from './base-string';
import { baseUriAt, requestBaseUri } from './base-uri';
import { UnknownRequestHost } from '../http/public-origin';
import { originRequest, reachedOverTls } from '../http/public-base';
import { checkProtocolParameters, nonceKey, nonceTtlSeconds, type CheckedParameters, type EndpointKind, type Transport } from './checks';
import { collectParameters, isFormContentType, type CollectedParameters } from './params';
import { OAuth1Problem } from './problems';
import { verifySignature } from './signature';
import { requireConsumerMethod } from './consumer-methods';
import { rsaPublicKeyOf } from './rsa-keys';
import { acceptedSecrets, type PreviousSecret } from './consumer-secrets';

/**
 * Authenticating a signed request, as small steps in the order they must run: read the parameters
 * from the three places, check them, find the consumer, find the token, check the signature, and
 * only then spend the nonce (so a forged request cannot burn a legitimate client's nonce). The
 * endpoints run all of it through verifySignedRequest; the resource-request check
 * (resource-request.ts) reuses the steps around its in-process token cache.
 */

export type OAuth1Deps = Pick<GatewayDeps, 'config' | 'origin' | 'store' | 'cache' | 'secrets' | 'clock' | 'nonceMemory' | 'bufferedBodies'>;

export interface SignedRequest {
  collected: CollectedParameters;
  params: CheckedParameters;
  /** How the request reached us: judged once, used by the gateway's and the consumer's method checks. */
  transport: Transport;
}

/**
 * Reads the raw form body only when RFC 5849 section 3.4.1.3.1 signs it; other bodies are left for
 * the proxy. One that can't be read is reported as parameter_rejected, one too large as a 413.
 */
async function signedBody(ctx: Context, deps: OAuth1Deps): Promise<string | null> {
  if (!isFormContentType(ctx.get('content-type'))) return null;
  const raw = await readRawBody(ctx, deps.config.server.bodyLimitBytes, deps.bufferedBodies);
  return raw.bytes.toString('utf8');
}

async function readOAuthParameters(ctx: Context, deps: OAuth1Deps): Promise<CollectedParameters> {
  return collectParameters({
    authorization: ctx.get('authorization') || null,
    contentType: ctx.get('content-type') || null,
    body: await signedBody(ctx, deps),
    query: ctx.querystring,
  });
}

/**
 * Whether the request carries OAuth 1.0a credentials at all (the header, or a consumer key in query or
 * form body). A request with a Bearer header is another protocol's: its form body is not read (it
 * streams to the upstream under the route's own size cap instead of server.bodyLimitBytes).
 */
export async function hasOAuthCredentials(ctx: Context, deps: OAuth1Deps): Promise<boolean> {
  const authorization = ctx.get('authorization');
  if (/^\s*OAuth(?:[ \t]|$)/i.test(authorization)) return true;
  if (parameterNames(ctx.querystring).includes('oauth_consumer_key')) return true;
  if (/^\s*Bearer(?:[ \t]|$)/i.test(authorization)) return false;
  const body = await signedBody(ctx, deps);
  return body !== null && parameterNames(body).includes('oauth_consumer_key');
}

const NAMED_KEY_MAX = PARAMETER_BYTES.client_id;

export async function readSignedRequest(ctx: Context, deps: OAuth1Deps, kind: EndpointKind): Promise<SignedRequest> {
  const collected = await readOAuthParameters(ctx, deps);
  // Named before any check, so a refused request's access line says which consumer it claimed to
  // be; a key longer than any a consumer is given (client ids' cap) is not copied into the log.
  const named = collected.protocol.oauth_consumer_key;
  if (named !== undefined && named.length <= NAMED_KEY_MAX) ctx.state.consumerKey = named;
  const transport = { tls: reachedOverTls(ctx, deps) };
  const params = checkProtocolParameters(kind, collected.protocol, deps.config.oauth1, deps.clock(), transport);
  return { collected, params, transport };
}

export interface KnownConsumer {
  consumer: ConsumerRow;
  secret: string;
  /** The secret a rotation replaced, while its grace period lasts. */
  previousSecret: PreviousSecret | null;
}

/**
 * The consumer the key names, with its secret opened. `noted` (an endpoint's request state) keeps
 * the row, enabled or not, for the error metric: a key the store holds is a bounded label.
 */
export async function findConsumer(deps: OAuth1Deps, key: string, noted?: Pick<RequestState, 'consumer'>): Promise<KnownConsumer> {
  const consumer = await deps.store.consumers.findByKey(key);
  if (!consumer) throw new OAuth1Problem('consumer_key_unknown', { advice: 'The consumer key is not known here.' });
  if (noted) noted.consumer = consumer;
  if (!consumer.enabled) throw new OAuth1Problem('consumer_key_rejected', { advice: 'This consumer has been disabled.' });
  const { previousSecretEnc, previousSecretExpiresAt } = consumer;
  const previousSecret =
    previousSecretEnc && previousSecretExpiresAt && deps.clock() < previousSecretExpiresAt ? { secret: deps.secrets.open(previousSecretEnc), expiresAt: previousSecretExpiresAt } : null;
  return { consumer, secret: deps.secrets.open(consumer.secretEnc), previousSecret };
}

/** The base string URI the client signed (configured public URL, trusted proxy headers, or Host). */
function signedRequestUri(ctx: Context, deps: Pick<GatewayDeps, 'origin'>): string {
  // A configured public URL is the answer whatever the request says (publicOrigin's first rule).
  const { configured } = deps.origin;
  if (configured) return baseUriAt(configured.origin, ctx.req.url ?? '/');
  try {
    return requestBaseUri({ ...originRequest(ctx), url: ctx.req.url ?? '/' }, deps.origin);
  } catch (err) {
    if (err instanceof UnknownRequestHost) throw new OAuth1Problem('parameter_rejected', { advice: 'The request has no Host header.' });
    throw err;
  }
}

/** What a consumer signs with: its secret (HMAC, PLAINTEXT) and, when it registered one, its RSA public key. */
export interface ConsumerCredentials {
  consumerSecret: string;
  /** The secret a rotation replaced, accepted until it expires (consumer-secrets.ts). */
  previousSecret: PreviousSecret | null;
  /** SPKI PEM (ConsumerRow.rsaPublicKey). */
  rsaPublicKey: string | null;
  /** The consumer's own list, null for the gateway's (ConsumerRow.signatureMethods). */
  signatureMethods: readonly string[] | null;
}

export const credentialsOf = (known: KnownConsumer): ConsumerCredentials => ({
  consumerSecret: known.secret,
  previousSecret: known.previousSecret,
  rsaPublicKey: known.consumer.rsaPublicKey,
  signatureMethods: known.consumer.signatureMethods,
});

/**
 * The signature check: the method must be one this consumer may use (consumer-methods.ts), then
 * the signature must be the one its credentials make. RSA-SHA1 is checked with the consumer's
 * public key; the token secret plays no part in it (RFC 5849 section 3.4.3).
 */
export function requireValidSignature(
  ctx: Context,
  deps: OAuth1Deps,
  request: SignedRequest,
  consumer: ConsumerCredentials,
  tokenSecret: string | null,
): void {
  const { params, collected } = request;
  const method = params.signatureMethod;
  requireConsumerMethod(method, consumer, deps.config.oauth1, request.transport);
  const baseString =
    method === 'PLAINTEXT' ? undefined : signatureBaseString({ method: ctx.method, uri: signedRequestUri(ctx, deps), params: collected.pairs });
  const rsaPublicKey = method === 'RSA-SHA1' && consumer.rsaPublicKey !== null ? rsaPublicKeyOf(consumer.rsaPublicKey) : null;
  // RSA-SHA1 uses no shared secret: one check. Otherwise each secret accepted now (two while a rotation's grace period lasts).
  const secrets = method === 'RSA-SHA1' ? [consumer.consumerSecret] : acceptedSecrets(consumer, deps.clock());
  const ok = secrets.some((consumerSecret) => verifySignature({ method, baseString, consumerSecret, tokenSecret, rsaPublicKey, signature: params.signature }));
  if (!ok) throw new OAuth1Problem('signature_invalid', { advice: 'The signature does not match this request and these credentials.' });
}

/**
 * Spends the nonce: an atomic set-if-absent in the shared cache, so two nodes (or twenty parallel
 * copies of one request) cannot both accept it. A CacheUnavailableError propagates: 503, never a pass.
 * Read beside it, in the same turn: whether the cache still remembers the nonces spent before
 * (nonce-memory.ts; after a loss, older timestamps are refused for one window).
 * PLAINTEXT may leave timestamp and nonce out (RFC 5849 section 3.3); it then has no replay check.
 */
export async function requireFreshNonce(deps: OAuth1Deps, params: CheckedParameters): Promise<void> {
  if (params.nonce === null) return;
  const key = nonceKey(params.consumerKey, params.token, params.timestamp, params.nonce);
  const [fresh, memory] = await Promise.all([
    deps.cache.setIfAbsent(key, '1', nonceTtlSeconds(deps.config.oauth1.timestampWindowSeconds)),
    deps.nonceMemory.current(),
  ]);
  if (!fresh) throw new OAuth1Problem('nonce_used', { advice: 'This nonce was already used with this timestamp.' });
  deps.nonceMemory.requireRemembered(memory, params.timestamp);
}

export interface TokenLookup<T> {
  /** Finds the token the request names; unknown or another consumer's token throws token_rejected. */
  (token: string, consumer: ConsumerRow): Promise<{ secret: string; record: T }>;
}

export interface VerifiedRequest<T> extends SignedRequest {
  consumer: ConsumerRow;
  /** The token's record, when the endpoint takes a token. */
  token: T | null;
}

/**
 * The whole pipeline for the endpoints. Token state (expired, used, denied, ...) is judged by the
 * endpoint afterwards, so only the holder of the token's secret learns it.
 */
export async function verifySignedRequest<T = never>(
  ctx: Context,
  deps: OAuth1Deps,
  options: { kind: EndpointKind; token?: TokenLookup<T> },
): Promise<VerifiedRequest<T>> {
  const request = await readSignedRequest(ctx, deps, options.kind);
  const known = await findConsumer(deps, request.params.consumerKey, ctx.state);
  const { consumer } = known;
  let token: { secret: string; record: T } | null = null;
  if (options.token) {
    if (request.params.token === null) throw new Error(`endpoint kind ${options.kind} must require oauth_token`);
    token = await options.token(request.params.token, consumer);
  }
  requireValidSignature(ctx, deps, request, credentialsOf(known), token?.secret ?? null);
  await requireFreshNonce(deps, request.params);
  return { ...request, consumer, token: token?.record ?? null };
}

export const tokenRejected = () => new OAuth1Problem('token_rejected', { advice: 'The token is unknown or not valid for this consumer.' });
