import type { IssuerConfig } from '../config/issuers';
import { IssuerUnavailableError } from './errors';
import { fetchJson, type IssuerHttp } from './fetch-json';

type IntrospectionClient = NonNullable<IssuerConfig['introspection']>;

/** An RFC 7662 answer the gateway accepts, or why it does not. */
export type IntrospectionVerdict = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: 'inactive' | 'audience' | 'issuer' | 'expired' };

// RFC 6749 appendix B: the client id and secret are form-encoded before Basic encoding.
const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

/** The request the gateway sends as its own client (RFC 7662 section 2.1). */
export function introspectionRequest(token: string, client: IntrospectionClient): RequestInit {
  const body = new URLSearchParams({ token, token_type_hint: 'access_token' });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.authMethod === 'client_secret_basic') {
    headers.authorization = 'Basic ' + Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString('base64');
  } else {
    body.set('client_id', client.clientId);
    body.set('client_secret', client.clientSecret);
  }
  return { method: 'POST', headers, body: body.toString() };
}

/**
 * What an introspection answer means here. Pure. `active` must be the boolean true; when the
 * answer names an issuer it must be the configured one; when it names audiences one must be
 * accepted (RFC 7662 makes aud optional: an answer without it is taken, as the issuer vouched for
 * the token to this gateway's own client); an `exp` in the past (beyond the skew) is inactive too.
 */
export function judgeIntrospection(
  answer: Record<string, unknown>,
  config: Pick<IssuerConfig, 'issuer' | 'audiences' | 'clockSkewSeconds'>,
  now: number,
): IntrospectionVerdict {
  if (answer.active !== true) return { ok: false, reason: 'inactive' };
  if (answer.iss !== undefined && answer.iss !== config.issuer) return { ok: false, reason: 'issuer' };
  if (answer.aud !== undefined) {
    const aud = typeof answer.aud === 'string' ? [answer.aud] : Array.isArray(answer.aud) ? answer.aud : [];
    if (!aud.some((a) => typeof a === 'string' && config.audiences.includes(a))) return { ok: false, reason: 'audience' };
  }
  if (typeof answer.exp === 'number' && answer.exp * 1000 + config.clockSkewSeconds * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: answer };
}

/** Asks the issuer's introspection endpoint about one token; IssuerUnavailableError when it cannot answer. */
export async function introspect(http: IssuerHttp, url: string | null, client: IntrospectionClient, token: string): Promise<Record<string, unknown>> {
  if (url === null) throw new IssuerUnavailableError(http.issuer, 'introspection');
  return fetchJson(http, 'introspection', url, introspectionRequest(token, client));
}
