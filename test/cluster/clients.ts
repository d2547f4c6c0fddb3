import { createHash, createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { parseFormBody } from '../helpers/oauth1';
import { PUBLIC_URL, type GatewayNode, type Seed } from './harness';

/**
 * Clients of a cluster: every request goes to one node's own address, and OAuth 1.0a requests are
 * signed for the public URL the nodes share (as behind a load balancer), so the very same signed
 * request can be sent to any node.
 */

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, or undefined. */
  json: any;
  /** The form-encoded body (OAuth 1.0a answers), decoded. */
  form: Record<string, string>;
}

export interface Token1 {
  key: string;
  secret: string;
}

export const sha256hex = (value: string) => createHash('sha256').update(value).digest('hex');

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const form = res.headers.get('content-type')?.includes('x-www-form-urlencoded') ? parseFormBody(text) : {};
  return { status: res.status, headers: res.headers, text, json, form };
}

export async function call(node: GatewayNode, path: string, init: RequestInit = {}): Promise<Answer> {
  return answer(await fetch(node.url + path, { ...init, redirect: 'manual' }));
}

/** A POST with a form body. */
export function postForm(node: GatewayNode, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
  return call(node, path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const basic = (id: string, secret: string) => 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');

/** POST /oauth2/token as the seeded confidential client. */
export function tokenRequest(node: GatewayNode, seed: Seed, fields: Record<string, string>): Promise<Answer> {
  return postForm(node, '/oauth2/token', fields, { authorization: basic(seed.client.id, seed.client.secret) });
}

/** An access and refresh token through the password grant (fails the test otherwise). */
export async function passwordTokens(node: GatewayNode, seed: Seed): Promise<{ access: string; refresh: string }> {
  const res = await tokenRequest(node, seed, { grant_type: 'password', username: seed.user.username, password: seed.user.password });
  if (res.status !== 200) throw new Error(`password grant on ${node.name} answered ${res.status}: ${res.text}`);
  return { access: res.json.access_token, refresh: res.json.refresh_token };
}

/** GET /api/... with a bearer token: the upstream answers 200 when the token is good. */
export function bearerCall(node: GatewayNode, token: string, path = '/api/items'): Promise<Answer> {
  return call(node, path, { headers: { authorization: `Bearer ${token}` } });
}

export function revokeToken(node: GatewayNode, seed: Seed, token: string): Promise<Answer> {
  return postForm(node, '/oauth2/revoke', { token }, { authorization: basic(seed.client.id, seed.client.secret) });
}

export interface SignOptions {
  nonce?: string;
  timestamp?: number;
}

/**
 * A signed OAuth 1.0a request (HMAC-SHA1, parameters in the Authorization header, form fields in
 * the body for a POST; oauth_* extras in the header), made for PUBLIC_URL + path; `to(node)` sends the same bytes to a node.
 */
export function signed1(
  consumer: { key: string; secret: string },
  method: 'GET' | 'POST',
  path: string,
  token?: Token1,
  params: Record<string, string> = {},
  options: SignOptions = {},
): { to(node: GatewayNode): Promise<Answer> } {
  const oauth = new OAuth({
    consumer: { key: consumer.key, secret: consumer.secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base: string, key: string) => createHmac('sha1', key).update(base).digest('base64'),
  });
  oauth.getTimeStamp = () => options.timestamp ?? Math.floor(Date.now() / 1000);
  oauth.getNonce = () => options.nonce ?? randomBytes(16).toString('hex');
  const data = oauth.authorize({ url: PUBLIC_URL + path, method, data: { ...params } }, token);
  const headers: Record<string, string> = { authorization: oauth.toHeader(data).Authorization };
  // oauth_* parameters travel in the header (the library puts them there); the rest in the body.
  const others = Object.entries(params).filter(([k]) => !k.startsWith('oauth_'));
  const body = others.length ? new URLSearchParams(others).toString() : undefined;
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  return { to: (node) => call(node, path, { method, headers, body }) };
}

/** An OAuth 1.0a access token and session handle through xAuth on one node. */
export async function xauth(node: GatewayNode, seed: Seed): Promise<{ token: Token1; sessionHandle: string }> {
  const res = await signed1(seed.consumer, 'POST', '/oauth/xauth_access_token', undefined, {
    x_auth_mode: 'client_auth',
    x_auth_username: seed.user.username,
    x_auth_password: seed.user.password,
  }).to(node);
  if (res.status !== 200) throw new Error(`xAuth on ${node.name} answered ${res.status}: ${res.text}`);
  return { token: { key: res.form.oauth_token, secret: res.form.oauth_token_secret }, sessionHandle: res.form.oauth_session_handle };
}

/** A signed resource request through the gateway to the upstream. */
export function signedCall(node: GatewayNode, seed: Seed, token: Token1, path = '/api/items'): Promise<Answer> {
  return signed1(seed.consumer, 'GET', path, token).to(node);
}

/** Polls until accept(value) or the deadline; returns the last value for the assertion. */
export async function until<T>(check: () => Promise<T>, accept: (value: T) => boolean, deadlineMs: number, everyMs = 25): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (accept(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
