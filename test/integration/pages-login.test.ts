import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { createApp } from '../../src/app';
import { addUser, setUserEnabled } from '../../src/accounts/admin';
import { loadConfig } from '../../src/config';
import type { GatewayDeps } from '../../src/deps';
import { createLogger } from '../../src/http/logger';
import { html, requireLogin, sendPage } from '../../src/pages';
import { stylesheetHref } from '../../src/pages/stylesheet';
import { openRuntime } from '../../src/runtime';
import { tempDataDir } from '../helpers/sqlite';

const password = 'correct horse battery staple';
const maxFailures = 3;
const maxFailuresPerAddress = 5;

interface Gateway {
  url: string;
  deps: GatewayDeps;
  logs: string[];
  close(): Promise<void>;
}

/** The real app over a real SQLite file and a MemoryCache, plus one test flow that uses requireLogin. */
async function startGateway(publicUrl: string | null = null): Promise<Gateway> {
  const data = tempDataDir('pages');
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: data.dir,
      secretKey: randomBytes(32).toString('hex'),
      demo: false,
      log: { level: 'info' },
      server: { publicUrl, trustedProxies: ['127.0.0.1'] },
      login: { maxFailures, maxFailuresPerAddress, lockSeconds: 300 },
    },
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const runtime = await openRuntime(config, { logger: createLogger('info', sink) });
  const { deps } = runtime;
  await addUser(deps, { username: 'alice', password });
  await addUser(deps, { username: 'bob', password });

  const app = createApp(deps, runtime.secretKey);
  const flow = new Router();
  flow.get('/test-flow', async (ctx) => {
    const user = await requireLogin(ctx, deps, {
      continueTo: ctx.originalUrl,
      appName: 'Test <App>',
      formTargets: ['https://client.example'],
    });
    if (!user) return;
    sendPage(ctx, html`<p>flow continues for ${user.username}</p>`);
  });
  // Right after the common middleware (request id, security headers, error mapper), where createApp
  // mounts its routers, so the gateway's catch-all route table never sees /test-flow.
  const at = app.middleware.findIndex((m) => m.name === 'errorMapper') + 1;
  if (at === 0) throw new Error('createApp no longer has the error mapper');
  app.middleware.splice(at, 0, flow.routes() as unknown as Middleware);

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    logs,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
      data.remove();
    },
  };
}

let addresses = 0;

/**
 * A minimal browser: a cookie jar, no automatic redirects. Each one comes from its own address
 * (X-Forwarded-For through the trusted loopback proxy), so lockout counters don't cross tests.
 */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly address = `198.51.100.${++addresses}`;
  constructor(private readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(path, { method: 'GET', headers });
  }

  async post(path: string, form: Record<string, string> | string): Promise<Response> {
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    return this.send(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = { ...(init.headers as Record<string, string>), 'x-forwarded-for': this.address, ...(cookie ? { cookie } : {}) };
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#96;': '`' };
const unescape = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#96);/g, (e) => entities[e]);

/** The name/value of every input of the page's form, as a browser would submit them (buttons aside). */
function formFields(page: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [tag] of page.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    if (name) fields[unescape(name)] = unescape(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  return fields;
}

function formAction(page: string): string {
  return unescape(/<form method="post" action="([^"]*)"/.exec(page)?.[1] ?? '');
}

async function loginForm(browser: Browser, path = '/login'): Promise<Record<string, string>> {
  const res = await browser.get(path);
  return formFields(await res.text());
}

let users = 0;

/** A user of its own, for tests that type wrong passwords. */
async function freshUser(gw: Gateway): Promise<string> {
  const username = `user${++users}`;
  await addUser(gw.deps, { username, password });
  return username;
}

async function signIn(browser: Browser, username = 'alice', pass = password, path = '/login'): Promise<Response> {
  const fields = await loginForm(browser, path);
  return browser.post('/login', { ...fields, username, password: pass });
}

describe('pages over HTTP (SQLite, memory cache)', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());

  describe('login page', () => {
    test('carries the page security headers', async () => {
      const res = await new Browser(gw.url).get('/login');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    });

    test('sets a CSRF cookie that is HttpOnly, SameSite=Lax, signed, on path / and not Secure over http', async () => {
      const res = await new Browser(gw.url).get('/login');
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '';
      expect(cookie).toMatch(/; httponly/i);
      expect(cookie).toMatch(/; samesite=lax/i);
      expect(cookie).toMatch(/; path=\//);
      expect(cookie).not.toMatch(/; secure/i);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('gw_csrf.sig='))).toBe(true);
    });

    test('starts no session: a session cookie comes with signing in, not before', async () => {
      const browser = new Browser(gw.url);
      const res = await browser.get('/login');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('gw_session='))).toBe(false);
      await signIn(browser);
      expect(browser.cookies.get('gw_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    test("the form's CSRF token is the CSRF cookie's value, the same for every tab", async () => {
      const browser = new Browser(gw.url);
      const first = await loginForm(browser);
      const second = await loginForm(browser);
      expect(first.csrf_token).toBe(browser.cookies.get('gw_csrf'));
      expect(second.csrf_token).toBe(first.csrf_token);
    });

    test('holds a CSRF token in its form', async () => {
      const fields = await loginForm(new Browser(gw.url));
      expect(fields.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('signing in', () => {
    test('the right password answers 303 to the continue path', async () => {
      const res = await signIn(new Browser(gw.url), 'alice', password, '/login?continue=%2Fdevice%3Fuser_code%3DAB');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/device?user_code=AB');
    });

    test('signing in changes the session id', async () => {
      const browser = new Browser(gw.url);
      const fields = await loginForm(browser);
      const before = browser.cookies.get('gw_session');
      await browser.post('/login', { ...fields, username: 'alice', password });
      expect(browser.cookies.get('gw_session')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(browser.cookies.get('gw_session')).not.toBe(before);
    });

    test('the pre-login session id does not carry the login', async () => {
      const browser = new Browser(gw.url);
      const fields = await loginForm(browser);
      const planted = new Map(browser.cookies);
      await browser.post('/login', { ...fields, username: 'alice', password });
      const attacker = new Browser(gw.url);
      for (const [k, v] of planted) attacker.cookies.set(k, v);
      const page = await (await attacker.get('/test-flow')).text();
      expect(page).toContain('<h1>Sign in</h1>');
    });

    test('without a continue path it lands on a signed-in page', async () => {
      const browser = new Browser(gw.url);
      const res = await signIn(browser);
      expect(res.headers.get('location')).toBe('/login');
      const page = await (await browser.get('/login')).text();
      expect(page).toContain('Signed in as alice.');
    });

    test('a wrong password re-renders the form with "Wrong username or password"', async () => {
      const username = await freshUser(gw);
      const res = await signIn(new Browser(gw.url), username, 'not the password');
      expect(res.status).toBe(200);
      const page = await res.text();
      expect(page).toContain('Wrong username or password.');
      expect(formFields(page).username).toBe(username);
      expect(formFields(page).password).toBe('');
    });

    test('an unknown user gets the same message as a wrong password', async () => {
      const res = await signIn(new Browser(gw.url), 'nobody-here', 'not the password');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Wrong username or password.');
    });

    test('a missing CSRF token answers the 403 page', async () => {
      const browser = new Browser(gw.url);
      await browser.get('/login');
      const res = await browser.post('/login', { username: 'alice', password });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('This form has expired');
      expect(browser.cookies.get('gw_csrf')).toBeDefined();
    });

    test('a wrong CSRF token answers 403 and does not sign in', async () => {
      const browser = new Browser(gw.url);
      const fields = await loginForm(browser);
      const res = await browser.post('/login', { ...fields, csrf_token: fields.csrf_token.slice(1) + 'A', username: 'alice', password });
      expect(res.status).toBe(403);
      expect(await (await browser.get('/test-flow')).text()).toContain('<h1>Sign in</h1>');
    });

    test("another session's CSRF token answers 403", async () => {
      const mine = new Browser(gw.url);
      await mine.get('/login');
      const theirs = await loginForm(new Browser(gw.url));
      const res = await mine.post('/login', { ...theirs, username: 'alice', password });
      expect(res.status).toBe(403);
    });

    test('the 403 page carries the page headers and no internals', async () => {
      const res = await new Browser(gw.url).post('/login', { username: 'alice', password });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.text()).not.toMatch(/at .*\.ts:\d+|Error:/);
    });

    test('a field sent twice is refused', async () => {
      const browser = new Browser(gw.url);
      const fields = await loginForm(browser);
      const body = new URLSearchParams({ ...fields, username: 'alice', password }).toString() + '&username=bob';
      const res = await browser.post('/login', body);
      expect(res.status).toBe(400);
    });

    test('a JSON body is refused', async () => {
      const res = await fetch(gw.url + '/login', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, redirect: 'manual' });
      expect(res.status).toBe(415);
    });
  });

  describe('lockout', () => {
    test(`after ${maxFailures} failures the next attempt answers 429 with Retry-After`, async () => {
      const browser = new Browser(gw.url);
      for (let i = 0; i < maxFailures; i++) expect((await signIn(browser, 'carol-locked', 'wrong password')).status).toBe(200);
      const res = await signIn(browser, 'carol-locked', 'wrong password');
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.text()).toContain('Too many failed sign-in attempts.');
    });

    test('while locked even the right password is refused', async () => {
      const username = await freshUser(gw);
      const browser = new Browser(gw.url);
      for (let i = 0; i < maxFailures; i++) await signIn(browser, username, 'wrong password');
      const res = await signIn(browser, username, password);
      expect(res.status).toBe(429);
      expect(res.headers.get('location')).toBeNull();
    });

    test('a locked username stays locked from another address', async () => {
      const username = await freshUser(gw);
      for (let i = 0; i < maxFailures; i++) await signIn(new Browser(gw.url), username, 'wrong password');
      expect((await signIn(new Browser(gw.url), username, password)).status).toBe(429);
    });

    test('an address that failed too often is locked for other usernames too', async () => {
      const browser = new Browser(gw.url);
      for (let i = 0; i < maxFailuresPerAddress; i++) await signIn(browser, `sprayed${i}`, 'wrong password');
      expect((await signIn(browser, 'alice', password)).status).toBe(429);
    });
  });

  describe('continue path', () => {
    test.each(['//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)'])(
      'POST /login refuses continue=%s',
      async (target) => {
        const browser = new Browser(gw.url);
        const fields = await loginForm(browser);
        const res = await browser.post('/login', { ...fields, continue: target, username: 'alice', password });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
      },
    );

    test('GET /login refuses an off-site continue', async () => {
      const res = await new Browser(gw.url).get('/login?continue=%2F%2Fevil.com');
      expect(res.status).toBe(400);
    });
  });

  describe('requireLogin in a flow', () => {
    test('shows the login page naming the application, continuing to the flow URL', async () => {
      const res = await new Browser(gw.url).get('/test-flow?client_id=abc&state=x%2Fy');
      const page = await res.text();
      expect(res.status).toBe(200);
      expect(page).toContain('Sign in to continue to <span class="app">Test &lt;App&gt;</span>.');
      expect(formAction(page)).toBe('/login');
      expect(formFields(page).continue).toBe('/test-flow?client_id=abc&state=x%2Fy');
    });

    test("lets the login form end at the client's redirect origin (CSP form-action)", async () => {
      const res = await new Browser(gw.url).get('/test-flow');
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self' https://client.example;");
    });

    test('keeps the form target when a wrong password re-renders the page', async () => {
      const res = await signIn(new Browser(gw.url), await freshUser(gw), 'wrong password', '/test-flow');
      expect(res.headers.get('content-security-policy')).toContain("form-action 'self' https://client.example;");
    });

    test('after signing in the flow continues with the user', async () => {
      const browser = new Browser(gw.url);
      const res = await signIn(browser, 'alice', password, '/test-flow?step=1');
      expect(res.headers.get('location')).toBe('/test-flow?step=1');
      expect(await (await browser.get('/test-flow?step=1')).text()).toContain('flow continues for alice');
    });

    test('a user disabled after signing in is asked to sign in again', async () => {
      const browser = new Browser(gw.url);
      await signIn(browser, 'bob', password);
      await setUserEnabled(gw.deps, 'bob', false);
      try {
        expect(await (await browser.get('/test-flow')).text()).toContain('<h1>Sign in</h1>');
      } finally {
        await setUserEnabled(gw.deps, 'bob', true);
      }
    });
  });

  describe('logout', () => {
    test('GET /logout asks for confirmation with a CSRF-protected form', async () => {
      const browser = new Browser(gw.url);
      await signIn(browser);
      const page = await (await browser.get('/logout')).text();
      expect(formAction(page)).toBe('/logout');
      expect(formFields(page).csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(page).toContain('<strong>alice</strong>');
    });

    test('POST /logout ends the session and 303s to the signed-out page', async () => {
      const browser = new Browser(gw.url);
      await signIn(browser);
      const fields = formFields(await (await browser.get('/logout')).text());
      const res = await browser.post('/logout', fields);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/logout');
      expect(await (await browser.get('/logout')).text()).toContain('You may close this window.');
      expect(await (await browser.get('/test-flow')).text()).toContain('<h1>Sign in</h1>');
    });

    test('POST /logout without the CSRF token answers 403 and keeps the session', async () => {
      const browser = new Browser(gw.url);
      await signIn(browser);
      const res = await browser.post('/logout', {});
      expect(res.status).toBe(403);
      expect(await (await browser.get('/test-flow')).text()).toContain('flow continues for alice');
    });
  });

  describe('stylesheet', () => {
    test('is served as CSS with a long cache lifetime', async () => {
      const res = await fetch(gw.url + '/assets/gateway.css');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toContain(':focus-visible');
    });

    test('is the one the pages link', async () => {
      const page = await (await new Browser(gw.url).get('/login')).text();
      expect(page).toContain(`href="${stylesheetHref}"`);
      expect((await fetch(gw.url + stylesheetHref)).status).toBe(200);
    });

    test('answers 304 to a matching If-None-Match', async () => {
      const etag = (await fetch(gw.url + '/assets/gateway.css')).headers.get('etag') as string;
      // fetch adds "Cache-Control: no-cache" to a conditional request unless told otherwise.
      const res = await fetch(gw.url + '/assets/gateway.css', { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
      expect(res.status).toBe(304);
    });
  });

  test('no password, session id or CSRF token appears in the logs', async () => {
    const browser = new Browser(gw.url);
    await signIn(browser, await freshUser(gw), 'wrong-password-in-logs');
    const fields = await loginForm(browser);
    await browser.post('/login', { ...fields, username: 'alice', password });
    const logs = gw.logs.join('');
    expect(logs).toContain('user signed in');
    for (const secret of [password, 'wrong-password-in-logs', fields.csrf_token, browser.cookies.get('gw_session') as string]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('pages behind an https public URL', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway('https://gateway.example');
  });
  afterAll(() => gw.close());

  test('the CSRF cookie is Secure even though this hop is plain http', async () => {
    const res = await new Browser(gw.url).get('/login');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '';
    expect(cookie).toMatch(/; secure/i);
    expect(cookie).toMatch(/; httponly/i);
  });

  test('the session cookie is Secure even though this hop is plain http', async () => {
    const res = await signIn(new Browser(gw.url));
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gw_session=')) ?? '';
    expect(cookie).toMatch(/; secure/i);
    expect(cookie).toMatch(/; httponly/i);
  });
});
