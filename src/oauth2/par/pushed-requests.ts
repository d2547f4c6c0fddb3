import type { Cache } from '../../cache/types';
import { randomToken, tokenDigest } from '../../crypto';

// RFC 9126 pushed authorization requests, kept in the shared cache (Redis with several nodes, as the
// browser sessions are): short-lived, single use, bound to the client that pushed them. The cache
// key is the SHA-256 of the request_uri's random part, so a cache dump names no usable request_uri.

export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';
/**
 * How long a request_uri stays good. RFC 9126 section 2.2 suggests 5 to 600 seconds; the client
 * redirects the browser right after pushing, so a minute is plenty and keeps the store small.
 */
export const PUSHED_REQUEST_LIFETIME_SECONDS = 60;

const requestUriShape = new RegExp(`^${REQUEST_URI_PREFIX.replace(/[.]/g, '\\.')}([A-Za-z0-9_-]{43})$`);
const cacheKey = (reference: string) => `par:${tokenDigest(reference)}`;

interface PushedRecord {
  v: 1;
  clientId: string;
  params: Array<[string, string]>;
  expiresAt: number;
}

export interface Pushed {
  requestUri: string;
  expiresIn: number;
}

/** Stores the (already validated) parameters for the client; the answer of section 2.2. */
export async function pushRequest(cache: Pick<Cache, 'set'>, now: number, clientId: string, params: Array<[string, string]>): Promise<Pushed> {
  const reference = randomToken();
  const record: PushedRecord = { v: 1, clientId, params, expiresAt: now + PUSHED_REQUEST_LIFETIME_SECONDS * 1000 };
  await cache.set(cacheKey(reference), JSON.stringify(record), PUSHED_REQUEST_LIFETIME_SECONDS);
  return { requestUri: REQUEST_URI_PREFIX + reference, expiresIn: PUSHED_REQUEST_LIFETIME_SECONDS };
}

/** Why a request_uri was refused: all are invalid_request_uri to the client, the log tells them apart. */
export type RequestUriRefusal = 'malformed' | 'unknown' | 'other_client' | 'expired';

export type Taken = { params: Array<[string, string]> } | { refusal: RequestUriRefusal };

function parseRecord(text: string): PushedRecord | null {
  try {
    const record = JSON.parse(text) as PushedRecord;
    return record && record.v === 1 && typeof record.clientId === 'string' && Array.isArray(record.params) ? record : null;
  } catch {
    return null;
  }
}

/**
 * The pushed parameters for this client, used up. Another client's request_uri is refused without
 * being used up (its client can still use it). "Unknown" covers used ones too: the delete that
 * uses a request_uri up is atomic, so of two racing browsers only one gets the request.
 */
export async function takePushedRequest(cache: Pick<Cache, 'get' | 'delete'>, now: number, requestUri: string, clientId: string): Promise<Taken> {
  const reference = requestUriShape.exec(requestUri)?.[1];
  if (!reference) return { refusal: 'malformed' };
  const key = cacheKey(reference);
  const text = await cache.get(key);
  const record = text === null ? null : parseRecord(text);
  if (!record) return { refusal: 'unknown' };
  if (record.clientId !== clientId) return { refusal: 'other_client' };
  if (!(await cache.delete(key))) return { refusal: 'unknown' };
  // The cache's TTL runs on its own clock (Redis): the gateway's clock has the last word.
  if (record.expiresAt <= now) return { refusal: 'expired' };
  return { params: record.params };
}
