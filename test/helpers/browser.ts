import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Browser, readForm, type PageResult } from './oauth1';

// The user's side of the OAuth 2.0 browser flows, two ways: an HTTP-level user agent that keeps
// cookies and stops at every redirect (integration tests check each hop), and Debian's Chromium
// driven by playwright-core (e2e tests see what a person sees, CSP and all).

export { Browser, readForm, type PageResult };

export interface Credentials {
  username: string;
  password: string;
}

/** A PKCE pair (RFC 7636): a fresh 43-character verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const authorizePath = (params: Record<string, string>) => `/oauth2/authorize?${new URLSearchParams(params)}`;

export function isLoginPage(page: PageResult): boolean {
  return page.status === 200 && /<form\b[^>]*action="\/login"/.test(page.text);
}

/** A consent page: the form that posts approve or deny. */
export function isConsentPage(page: PageResult): boolean {
  return page.status === 200 && /name="decision" value="approve"/.test(page.text);
}

/** Signs in on the login page when it is the page shown, then follows the 303 back into the flow. */
export async function throughLogin(browser: Browser, page: PageResult, user: Credentials): Promise<PageResult> {
  if (!isLoginPage(page)) return page;
  const signedIn = await browser.submit(page, { username: user.username, password: user.password });
  if (signedIn.status !== 303 || !signedIn.location) throw new Error(`sign-in answered ${signedIn.status}`);
  return browser.get(signedIn.location);
}

/** Opens an authorization URL and signs in if asked: the consent page, or the redirect to the client. */
export async function openAuthorization(browser: Browser, params: Record<string, string>, user: Credentials): Promise<PageResult> {
  return throughLogin(browser, await browser.get(authorizePath(params)), user);
}

/** Answers a consent page; the result is the 303 (to the client, or to the next page). */
export async function decide(browser: Browser, consent: PageResult, decision: 'approve' | 'deny'): Promise<PageResult> {
  if (!isConsentPage(consent)) throw new Error(`expected the consent page, got ${consent.status}`);
  return browser.submit(consent, { decision });
}

/** The parameters of a redirect to the client: the query, or the fragment for implicit. */
export function queryOf(location: string | null): URLSearchParams {
  if (!location) throw new Error('no Location header');
  return new URL(location).searchParams;
}

export function fragmentOf(location: string | null): URLSearchParams {
  if (!location) throw new Error('no Location header');
  return new URLSearchParams(new URL(location).hash.slice(1));
}

// ---- A local "client" web server: the redirect target of the real-browser tests.

export interface CallbackServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** Every request it received, as URLs on its origin. */
  arrivals: URL[];
  close(): Promise<void>;
}

export async function startCallbackServer(): Promise<CallbackServer> {
  const arrivals: URL[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(new URL(req.url ?? '/', 'http://callback.invalid'));
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>Client</title><h1>Back at the client</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- Headless Chromium.

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Chromium {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot under test-artifacts/screenshots/<name>.png. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export const screenshotDir = path.resolve(__dirname, '../../test-artifacts/screenshots');

/**
 * Debian's Chromium with a fresh profile. A missing browser is a failure with a plain explanation,
 * never a skip: these tests are the only ones that see the pages as users do.
 */
export async function launchChromium(options: { locale?: string } = {}): Promise<Chromium> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH. The browser tests cannot run without it.`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-chromium-'));
  // locale: the browser's language (Accept-Language and navigator.language), for the pages in other languages.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, locale: options.locale });
  const page = context.pages()[0] ?? (await context.newPage());
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    context,
    page,
    async screenshot(name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fills the login form on the current page and submits it. */
export async function signInWithChromium(page: Page, user: Credentials): Promise<void> {
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
}
