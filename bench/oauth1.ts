import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface OAuth1Credentials {
  consumer: { key: string; secret: string };
  token?: { key: string; secret: string };
}

/**
 * An HMAC-SHA1 signer from the oauth-1.0a library (someone else's reading of RFC 5849): every call
 * makes a fresh nonce and timestamp, so each benchmark request is a new signature and a new nonce
 * for the gateway to spend.
 */
export function oauth1Signer(credentials: OAuth1Credentials): (method: string, url: string, data?: Record<string, string>) => string {
  const oauth = new OAuth({
    consumer: credentials.consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  oauth.getNonce = () => randomBytes(16).toString('hex');
  return (method, url, data) => oauth.toHeader(oauth.authorize({ url, method, data }, credentials.token)).Authorization;
}

/**
 * Authorization headers signed ahead of a run, one per request, so the load generator (which shares
 * the machine's cores with the gateway) spends no time signing during the measurement. Each header
 * has its own nonce and a timestamp well inside the gateway's window; when the stock runs out,
 * requests are signed on the spot.
 */
export function presignedHeaders(sign: () => string): { fill(count: number): void; next(): string } {
  let stock: string[] = [];
  return {
    fill(count) {
      stock = Array.from({ length: count }, sign);
    },
    next: () => stock.pop() ?? sign(),
  };
}
