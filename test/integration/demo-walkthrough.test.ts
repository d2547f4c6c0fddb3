import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { Browser, throughLogin } from '../helpers/browser';
import { readVerifier } from '../helpers/oauth1';
import { loadConfig } from '../../src/config';
import { startDemoBackend, type DemoBackend } from '../../src/demo/backend';
import { demoConfig } from '../../src/demo/enabled';
import { demoBanner, seedDemo, type DemoCredentials } from '../../src/demo/seed';

// The demo as a newcomer follows its printout: the browser URL of the code flow ends on the demo's
// own callback page, whose curl exchanges the code; the OAuth 1.0a walk-through's curl commands,
// run as printed by a shell, get a request token, then (after the browser step) an access token and
// a signed call to the demo API.

const run = promisify(execFile);
let gw: TestGateway;
let backend: DemoBackend;
let creds: DemoCredentials;
let banner: string[];

beforeAll(async () => {
  backend = await startDemoBackend();
  const sandbox = demoConfig(loadConfig({ env: {} }), backend.url);
  gw = await startTestGateway({ config: { upstream: sandbox.upstream, routes: sandbox.routes, oauth1: { plaintextOverHttp: true } } });
  backend.announce(gw.url);
  creds = (await seedDemo({ store: gw.deps.store, secrets: gw.deps.secrets, clock: gw.deps.clock }, gw.url)) as DemoCredentials;
  gw.remember(creds.password, creds.clientSecret, creds.consumerSecret);
  banner = demoBanner(creds, gw.url, { plaintext: true }).split('\n');
});

afterAll(async () => {
  await gw?.close();
  await backend?.close();
});

const user = () => ({ username: creds.username, password: creds.password });

/** The printed line after the comment that contains `marker`. */
function lineAfter(marker: string, skip = 1): string {
  const at = banner.findIndex((l) => l.includes(marker));
  if (at < 0) throw new Error(`the banner has no "${marker}"`);
  return banner[at + skip];
}

async function shell(command: string): Promise<string> {
  return (await run('sh', ['-c', command])).stdout;
}

test('the code flow URL ends on the demo callback page, whose curl exchanges the code', async () => {
  const url = lineAfter('authorization code in a browser');
  expect(url.startsWith(`${gw.url}/oauth2/authorize?`)).toBe(true);

  const browser = new Browser(gw.url);
  const consent = await throughLogin(browser, await browser.get(url), user());
  const back = await browser.submit(consent, { decision: 'approve' });
  expect(back.status).toBe(303);
  expect(back.location?.startsWith(`${gw.url}/demo/callback?`)).toBe(true);

  const page = await browser.get(back.location as string);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  const code = new URL(back.location as string).searchParams.get('code') as string;
  gw.remember(code);
  expect(page.text).toContain(`<pre>${code}</pre>`);

  const curl = /<pre>(curl -s -u[\s\S]*?)<\/pre>/.exec(page.text)![1].replace(/&#39;/g, "'").replace('CLIENT_SECRET', creds.clientSecret);
  const answer = JSON.parse(await shell(curl));
  gw.remember(answer.access_token, answer.refresh_token);
  expect(answer).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
});

test('the callback page shows an error the gateway sent back, escaped', async () => {
  const page = await new Browser(gw.url).get('/demo/callback?error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E');
  expect(page.text).toContain('<code>access_denied</code>');
  expect(page.text).toContain('&lt;b&gt;no&lt;/b&gt;');
});

test('the three-legged OAuth 1.0a walk-through works as printed', async () => {
  const requested = new URLSearchParams(await shell(lineAfter('1. a request token')));
  const [requestToken, requestSecret] = [requested.get('oauth_token') as string, requested.get('oauth_token_secret') as string];
  expect(requestToken).toEqual(expect.any(String));
  gw.remember(requestToken, requestSecret);

  const authUrl = lineAfter('2. open in a browser').replace(/^#\s+/, '').replace('REQUEST_TOKEN', encodeURIComponent(requestToken));
  const browser = new Browser(gw.url);
  const consent = await throughLogin(browser, await browser.get(authUrl), user());
  const shown = await browser.submit(consent, { decision: 'approve' });
  const verifier = readVerifier(shown.text);
  gw.remember(verifier);

  const access = new URLSearchParams(
    await shell(lineAfter('3. the access token').replace('REQUEST_TOKEN', requestToken).replace('REQUEST_SECRET', requestSecret).replace('CODE', verifier)),
  );
  const [accessToken, accessSecret] = [access.get('oauth_token') as string, access.get('oauth_token_secret') as string];
  expect(accessToken).toEqual(expect.any(String));
  gw.remember(accessToken, accessSecret);

  const posts = JSON.parse(await shell(lineAfter('4. a signed call').replace('ACCESS_TOKEN', accessToken).replace('ACCESS_SECRET', accessSecret)));
  expect(posts.posts).toEqual(expect.any(Array));
});

test('no password, secret, code, verifier or token of the walk-through reaches the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
