import { createHmac, sign as rsaSign } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { addConsumer, type ConsumerInput } from '../../src/accounts/admin';
import type { ConsumerRow } from '../../src/storage/types';
import { startTestGateway, type GatewayOptions, type TestGateway } from './gateway';

/**
 * OAuth 1.0a test clients over real HTTP: the `oauth-1.0a` npm library signs (so the gateway is
 * checked against someone else's reading of RFC 5849), this file only places the parameters in the
 * header, the form body or the query, and drives the HTML pages like a browser would.
 */

export type Method = 'HMAC-SHA1' | 'HMAC-SHA256' | 'HMAC-SHA512' | 'RSA-SHA1' | 'PLAINTEXT';
export type Placement = 'header' | 'body' | 'query';

export interface OAuth1Gateway extends TestGateway {
  /** A consumer through the admin code the CLI uses; its secret is remembered as a secret. */
  consumer(input?: ConsumerInput): Promise<ConsumerCredentials>;
}

/** What `oauth-gateway consumer add` takes (callback: the registered callback, or oob). */
export type { ConsumerInput };

export interface ConsumerCredentials {
  key: string;
  secret: string;
  /** The consumer's RSA private key (PEM) when it signs with RSA-SHA1: the gateway never sees it. */
  privateKey?: string;
  record: ConsumerRow;
}

/**
 * The library's hash_function for a method: it is handed the base string and the key the secrets
 * make; RSA-SHA1 ignores that key and signs with the consumer's private key instead.
 */
export function hashFunction(method: Method, privateKey?: string): ((base: string, key: string) => string) | undefined {
  switch (method) {
    case 'HMAC-SHA1':
    case 'HMAC-SHA256':
    case 'HMAC-SHA512': {
      const hash = method.slice('HMAC-'.length).toLowerCase();
      return (base, key) => createHmac(hash, key).update(base).digest('base64');
    }
    case 'RSA-SHA1':
      if (privateKey === undefined) throw new Error('RSA-SHA1 needs the consumer private key');
      return (base) => rsaSign('sha1', Buffer.from(base), privateKey).toString('base64');
    default:
      return undefined;
  }
}

export interface Token {
  key: string;
  secret: string;
}

/** The real gateway of test/helpers/gateway.ts, plus a consumer fixture. */
export async function startOAuth1Gateway(options: GatewayOptions = {}): Promise<OAuth1Gateway> {
  const gw = await startTestGateway(options);
  return Object.assign(gw, {
    async consumer(input: ConsumerInput = {}) {
      const { consumer, secret } = await addConsumer(gw.deps, { name: 'Test Consumer', ...input });
      gw.remember(secret);
      return { key: consumer.key, secret, record: consumer };
    },
  });
}

export interface SignOptions {
  /** Override the library's nonce (replays). */
  nonce?: string;
  /** Override the timestamp (epoch seconds); by default the gateway's manual clock. */
  timestamp?: number;
  /** Extra headers (content type of a JSON body, ...). */
  headers?: Record<string, string>;
  /** A raw body sent as is (its fields are not signed unless also in `params`). */
  rawBody?: string;
  /** oauth_version as the library sends (and signs) it; its default is 1.0. */
  version?: string;
}

export interface FormResult {
  status: number;
  headers: Headers;
  text: string;
  /** The form-encoded answer, decoded. */
  form: Record<string, string>;
}

export function parseFormBody(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
    out[name] = decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '));
  }
  return out;
}

/** RFC 5849 section 3.6 encoding (what the library uses too). */
export const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const formOf = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .join('&');

export interface PreparedRequest {
  url: string;
  init: RequestInit & { headers: Record<string, string> };
}

/** One consumer's client: signs with the library and places the parameters where asked. */
export class OAuth1Client {
  constructor(
    readonly gw: TestGateway,
    readonly consumer: { key: string; secret: string; privateKey?: string },
    readonly method: Method = 'HMAC-SHA1',
    readonly placement: Placement = 'header',
  ) {}

  /** WebEx's examples send query parameters with GET: so does a query client. */
  private get tokenMethod(): 'GET' | 'POST' {
    return this.placement === 'query' ? 'GET' : 'POST';
  }

  private library(options: SignOptions): OAuth {
    const oauth = new OAuth({
      consumer: { key: this.consumer.key, secret: this.consumer.secret },
      signature_method: this.method,
      ...(options.version !== undefined ? { version: options.version } : {}),
      hash_function: hashFunction(this.method, this.consumer.privateKey),
    } as OAuth.Options);
    // The gateway runs on a manual clock; the library would read the real one.
    oauth.getTimeStamp = () => options.timestamp ?? Math.floor(this.gw.clock() / 1000);
    if (options.nonce !== undefined) oauth.getNonce = () => options.nonce as string;
    return oauth;
  }

  /**
   * Signs `params` (oauth_* extras such as oauth_callback, and ordinary parameters) for
   * METHOD path and builds the fetch arguments for this client's placement. A body placement is
   * always a POST; header and query placements use httpMethod.
   */
  prepare(httpMethod: 'GET' | 'POST', path: string, params: Record<string, string> = {}, token?: Token, options: SignOptions = {}): PreparedRequest {
    const method = this.placement === 'body' ? 'POST' : httpMethod;
    const url = this.gw.url + path;
    const oauth = this.library(options);
    // The library merges request.data into what it returns: hand it a copy.
    const signed = oauth.authorize({ url, method, data: { ...params } }, token ? { key: token.key, secret: token.secret } : undefined);
    const all: Record<string, string> = {};
    for (const [k, v] of Object.entries(signed)) all[k] = String(v);
    const protocol = Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith('oauth_')));
    const others = Object.fromEntries(Object.entries(params).filter(([k]) => !k.startsWith('oauth_')));
    const headers: Record<string, string> = { ...(options.headers ?? {}) };

    if (this.placement === 'header') {
      headers.authorization = oauth.toHeader(signed).Authorization;
      if (Object.keys(others).length === 0) return { url, init: { method, headers, body: options.rawBody } };
      if (method === 'POST' && options.rawBody === undefined) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        return { url, init: { method, headers, body: formOf(others) } };
      }
      return { url: `${url}?${formOf(others)}`, init: { method, headers, body: options.rawBody } };
    }
    if (this.placement === 'body') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { url, init: { method, headers, body: formOf({ ...others, ...protocol }) } };
    }
    return { url: `${url}?${formOf({ ...others, ...protocol })}`, init: { method, headers, body: options.rawBody } };
  }

  async send(httpMethod: 'GET' | 'POST', path: string, params: Record<string, string> = {}, token?: Token, options: SignOptions = {}): Promise<FormResult> {
    return sendPrepared(this.prepare(httpMethod, path, params, token, options));
  }

  /** request_token: the temporary credentials and the user authorization URL. */
  async requestToken(callback = 'oob'): Promise<{ token: Token; authUrl: string; result: FormResult }> {
    const result = await this.send(this.tokenMethod, '/oauth/request_token', { oauth_callback: callback });
    const token = { key: result.form.oauth_token, secret: result.form.oauth_token_secret };
    this.gw.remember(token.key, token.secret);
    return { token, authUrl: result.form.xoauth_user_auth_url, result };
  }

  async accessToken(requestToken: Token, verifier: string): Promise<FormResult> {
    const result = await this.send(this.tokenMethod, '/oauth/access_token', { oauth_verifier: verifier }, requestToken);
    this.gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
    return result;
  }

  async refresh(accessToken: Token, sessionHandle: string): Promise<FormResult> {
    const result = await this.send(this.tokenMethod, '/oauth/refresh_access_token', { oauth_session_handle: sessionHandle }, accessToken);
    this.gw.remember(result.form.oauth_token, result.form.oauth_token_secret);
    return result;
  }

  async whoami(accessToken: Token, options: SignOptions = {}): Promise<FormResult & { json: any }> {
    const result = await this.send('GET', '/oauth/whoami', {}, accessToken, options);
    let json: any;
    try {
      json = JSON.parse(result.text);
    } catch {
      json = undefined;
    }
    return { ...result, json };
  }
}

export async function sendPrepared(prepared: PreparedRequest): Promise<FormResult> {
  const res = await fetch(prepared.url, { ...prepared.init, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, form: res.headers.get('content-type')?.includes('x-www-form-urlencoded') ? parseFormBody(text) : {} };
}

export const tokenOf = (form: Record<string, string>): Token => ({ key: form.oauth_token, secret: form.oauth_token_secret });

export interface PageResult {
  status: number;
  headers: Headers;
  text: string;
  location: string | null;
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const unescapeHtml = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (e) => entities[e]);

/** The page's POST form: where it goes and its hidden fields (CSRF token included), as a browser reads them. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form\b[^>]*\bmethod="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error('the page has no POST form');
  const action = /\baction="([^"]*)"/.exec(form[0]);
  const fields: Record<string, string> = {};
  for (const input of form[1].matchAll(/<input\b[^>]*>/gi)) {
    if (!/\btype="hidden"/.test(input[0])) continue;
    const name = /\bname="([^"]*)"/.exec(input[0]);
    const value = /\bvalue="([^"]*)"/.exec(input[0]);
    if (name) fields[unescapeHtml(name[1])] = unescapeHtml(value?.[1] ?? '');
  }
  return { action: unescapeHtml(action?.[1] ?? ''), fields };
}

/** The verifier shown on the oob page. */
export function readVerifier(html: string): string {
  const m = /<output\b[^>]*>([^<]+)<\/output>/.exec(html);
  if (!m) throw new Error('the page shows no verifier');
  return unescapeHtml(m[1]);
}

/** A cookie-keeping HTTP client that does not follow redirects, so each hop can be checked. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  /** The values of the cookies it holds (a test checks none of them leaks into an answer). */
  cookieValues(): string[] {
    return [...this.cookies.values()];
  }

  private absolute(url: string): string {
    return new URL(url, this.base).toString();
  }

  private keepCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=.*1970/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async fetch(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<PageResult> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.absolute(url), { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) } });
    this.keepCookies(res.headers);
    return { status: res.status, headers: res.headers, text: await res.text(), location: res.headers.get('location') };
  }

  get(url: string, headers: Record<string, string> = {}): Promise<PageResult> {
    return this.fetch(url, { headers });
  }

  post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResult> {
    return this.fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** Fills the page's form (hidden fields as given) and sends it. */
  submit(page: PageResult, fields: Record<string, string> = {}): Promise<PageResult> {
    const form = readForm(page.text);
    return this.post(form.action, { ...form.fields, ...fields });
  }
}

/**
 * A user in a browser: opens the authorization URL, signs in on the login page when it comes, and
 * answers the consent page. Returns the consent answer (a 303 to the callback, or the oob page).
 */
export async function authorizeInBrowser(
  browser: Browser,
  authUrl: string,
  user: { username: string; password: string },
  decision: 'approve' | 'deny' = 'approve',
): Promise<{ consent: PageResult; answer: PageResult }> {
  let page = await browser.get(authUrl);
  if (readForm(page.text).action === '/login') {
    const signedIn = await browser.submit(page, { username: user.username, password: user.password });
    if (signedIn.status !== 303 || !signedIn.location) throw new Error(`sign-in failed with ${signedIn.status}`);
    page = await browser.get(signedIn.location);
  }
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}`);
  return { consent: page, answer: await browser.submit(page, { decision }) };
}

/** oauth_token and oauth_verifier from the callback the browser was sent to. */
export function callbackParameters(location: string): URLSearchParams {
  return new URL(location).searchParams;
}

/** A session and access token through xAuth (the consumer must be marked for it). */
export async function xauthAccess(client: OAuth1Client, user: { username: string; password: string }): Promise<{ token: Token; sessionHandle: string; form: Record<string, string> }> {
  const result = await client.send('POST', '/oauth/xauth_access_token', {
    x_auth_username: user.username,
    x_auth_password: user.password,
    x_auth_mode: 'client_auth',
  });
  if (result.status !== 200) throw new Error(`xauth answered ${result.status}: ${result.text}`);
  client.gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
  return { token: tokenOf(result.form), sessionHandle: result.form.oauth_session_handle, form: result.form };
}

/**
 * A call-through spy on one repository method of the gateway's real store. (jest.spyOn cannot be
 * used as is: the test gateway's store is a counting Proxy whose getter wraps every method, so
 * jest.spyOn would hand back the wrapper instead of its mock.) The spy is installed on the real
 * repository object, so every caller reaches it.
 */
export function spyOnRepository<R extends object, K extends keyof R & string>(repo: R, method: K): { calls: () => number; restore: () => void } {
  const callThrough = repo[method] as unknown as (...args: unknown[]) => unknown;
  const spy = jest.fn((...args: unknown[]) => callThrough(...args));
  (repo as Record<string, unknown>)[method] = spy;
  return {
    calls: () => spy.mock.calls.length,
    restore: () => {
      (repo as Record<string, unknown>)[method] = callThrough;
    },
  };
}
