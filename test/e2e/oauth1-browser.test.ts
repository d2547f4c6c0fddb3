import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { OAuth1Client, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';

// The user's part of the three-legged flow in a real browser (Debian's Chromium): sign-in and
// consent pages as a person uses them, and Chromium's CSP checks on the redirect chain
// consent POST -> 303 -> the consumer's callback (form-action must allow that last hop).

jest.setTimeout(60_000);

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let consumer: ConsumerCredentials;
let browser: Browser;
let callbackServer: http.Server;
let callbackUrl: string;
const arrivals: URL[] = [];

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  consumer = await gw.consumer({ name: 'Browser Consumer' });
  callbackServer = http.createServer((req, res) => {
    arrivals.push(new URL(req.url ?? '/', 'http://callback.invalid'));
    res.setHeader('content-type', 'text/plain');
    res.end('callback reached');
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/cb?app=1`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
  await gw.close();
});

test('a user signs in, allows the consumer, and the browser arrives at the callback with the verifier', async () => {
  const client = new OAuth1Client(gw, consumer);
  const { token, authUrl } = await client.requestToken(callbackUrl);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(authUrl);
    await page.fill('#username', alice.username);
    await page.fill('#password', alice.password);
    await page.click('button[type="submit"]');
    await page.waitForSelector('text=Browser Consumer');
    await page.click('button[value="approve"]');
    await page.waitForURL((url) => url.pathname === '/cb');
    expect(await page.textContent('body')).toContain('callback reached');
  } finally {
    await context.close();
  }
  const arrived = arrivals.filter((u) => u.pathname === '/cb').pop() as URL;
  expect(arrived.searchParams.get('app')).toBe('1');
  expect(arrived.searchParams.get('oauth_token')).toBe(token.key);
  const verifier = arrived.searchParams.get('oauth_verifier') as string;
  gw.remember(verifier);
  const access = await client.accessToken(token, verifier);
  expect(access.status).toBe(200);
  expect((await client.whoami(tokenOf(access.form))).json?.username).toBe('alice');
});

test('with an oob callback the browser shows the verifier, which the consumer exchanges', async () => {
  const client = new OAuth1Client(gw, consumer, 'PLAINTEXT', 'body');
  const { token, authUrl } = await client.requestToken('oob');
  const context = await browser.newContext();
  let verifier: string;
  try {
    const page = await context.newPage();
    await page.goto(authUrl);
    await page.fill('#username', alice.username);
    await page.fill('#password', alice.password);
    await page.click('button[type="submit"]');
    await page.click('button[value="approve"]');
    verifier = ((await page.textContent('output')) ?? '').trim();
  } finally {
    await context.close();
  }
  gw.remember(verifier);
  expect((await client.accessToken(token, verifier)).status).toBe(200);
});

test('no secret, token, verifier or password reaches the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
