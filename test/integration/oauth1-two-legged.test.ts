import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OAuth as NodeOAuth } from 'oauth';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Two-legged requests (route accept "oauth1-2legged"): signed by the consumer alone, as LTI 1.1
// launches and server-to-server integrations send them. The caller is the consumer; a --requestor
// consumer may name a user with xoauth_requestor_id.

const keys = JSON.parse(readFileSync(path.resolve(__dirname, '../fixtures/oauth1-rsa-sha2-signatures.json'), 'utf8')).keys as Record<
  string,
  { private_key_pem: string; public_key_pem: string }
>;
const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let upstream: TestUpstream;
let tool: ConsumerCredentials;
let delegate: ConsumerCredentials;

beforeAll(async () => {
  upstream = await startUpstream('lms');
  gw = await startOAuth1Gateway({
    config: {
      routes: [
        { prefix: '/lti', upstream: upstream.url, accept: ['oauth1-2legged'] },
        { prefix: '/lti/admin', upstream: upstream.url, accept: ['oauth1-2legged'], privileges: ['lms_admin'] },
        { prefix: '/api', upstream: upstream.url, accept: ['oauth1', 'oauth1-2legged'] },
        { prefix: '/legacy', upstream: upstream.url, accept: ['oauth1'] },
      ],
    },
  });
  const tools = await gw.fixtures.profile('tools', ['lti_launch']);
  const staff = await gw.fixtures.profile('staff', ['read_grades']);
  await gw.fixtures.user(alice.username, alice.password, { profile: staff });
  await gw.fixtures.user('bob', 'bob-password-1', { enabled: false });
  tool = await gw.consumer({ name: 'LTI tool', profile: 'tools', xauth: true });
  delegate = await gw.consumer({ name: 'Directory sync', profile: 'tools', requestor: true });
});
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const lastSeen = () => upstream.seen[upstream.seen.length - 1];

test('a GET signed by the consumer alone passes as the consumer, with its profile and no user', async () => {
  const res = await new OAuth1Client(gw, tool).send('GET', '/lti/launch', { context_id: 'c1' });
  expect(res.status).toBe(200);
  const seen = lastSeen();
  expect(seen.url).toBe('/lti/launch?context_id=c1');
  expect(seen.headers).toMatchObject({
    'x-authenticated-client': tool.key,
    'x-authenticated-user': '',
    'x-authenticated-user-id': '',
    'x-authenticated-privileges': 'lti_launch',
    'x-auth-protocol': 'oauth1',
  });
  expect(seen.headers.authorization).toBeUndefined();
});

test('an LTI-style form POST signed in the body passes, and the upstream gets the form without oauth_*', async () => {
  const res = await new OAuth1Client(gw, tool, 'HMAC-SHA1', 'body').send('POST', '/lti/launch', { lti_message_type: 'basic-lti-launch-request', resource_link_id: 'r1' });
  expect(res.status).toBe(200);
  expect(lastSeen().body.toString()).toBe('lti_message_type=basic-lti-launch-request&resource_link_id=r1');
  expect(lastSeen().headers['x-authenticated-client']).toBe(tool.key);
});

test('an empty oauth_token is a two-legged request', async () => {
  const res = await new OAuth1Client(gw, tool).send('GET', '/lti/launch', { oauth_token: '' });
  expect(res.status).toBe(200);
  expect(lastSeen().headers['x-authenticated-client']).toBe(tool.key);
});

test('node-oauth signs a two-legged RSA-SHA1 request', async () => {
  const rsa = await gw.consumer({ name: 'RSA tool', rsaPublicKey: keys['jira-2048'].public_key_pem, signatureMethods: 'RSA-SHA1' });
  const oa = new NodeOAuth('', '', rsa.key, keys['jira-2048'].private_key_pem, '1.0', null as unknown as string, 'RSA-SHA1');
  (oa as unknown as { _getTimestamp: () => number })._getTimestamp = () => Math.floor(gw.clock() / 1000);
  const body = await new Promise<string>((resolve, reject) =>
    oa.get(`${gw.url}/lti/roster?course=7`, null as unknown as string, null as unknown as string, (err, data) => (err ? reject(new Error(JSON.stringify(err))) : resolve(String(data)))),
  );
  const seen = JSON.parse(body);
  expect(seen.url).toBe('/lti/roster?course=7');
  expect(seen.headers['x-authenticated-client']).toBe(rsa.key);
});

test('a replayed two-legged request is nonce_used (401)', async () => {
  const client = new OAuth1Client(gw, tool);
  expect((await client.send('GET', '/lti/launch', {}, undefined, { nonce: 'two-legged-once' })).status).toBe(200);
  const again = await client.send('GET', '/lti/launch', {}, undefined, { nonce: 'two-legged-once' });
  expect([again.status, again.form.oauth_problem]).toEqual([401, 'nonce_used']);
});

test('a stale timestamp, a bad signature and an unknown consumer are refused', async () => {
  const stale = await new OAuth1Client(gw, tool).send('GET', '/lti/launch', {}, undefined, { timestamp: Math.floor(gw.clock() / 1000) - 3600 });
  expect([stale.status, stale.form.oauth_problem]).toEqual([401, 'timestamp_refused']);
  const forged = await new OAuth1Client(gw, { key: tool.key, secret: 'not-the-secret' }).send('GET', '/lti/launch');
  expect([forged.status, forged.form.oauth_problem]).toEqual([401, 'signature_invalid']);
  const unknown = await new OAuth1Client(gw, { key: 'nobody', secret: 'x' }).send('GET', '/lti/launch');
  expect([unknown.status, unknown.form.oauth_problem]).toEqual([401, 'consumer_key_unknown']);
});

test("the route's privileges are checked against the consumer's profile", async () => {
  const res = await new OAuth1Client(gw, tool).send('GET', '/lti/admin/settings');
  expect(res.status).toBe(403);
});

describe('xoauth_requestor_id', () => {
  test('a consumer registered with --requestor acts for the user it names: user headers and the user\'s privileges', async () => {
    const res = await new OAuth1Client(gw, delegate).send('GET', '/lti/grades', { xoauth_requestor_id: 'alice' });
    expect(res.status).toBe(200);
    const seen = lastSeen();
    expect(seen.headers['x-authenticated-user']).toBe('alice');
    expect(seen.headers['x-authenticated-user-id']).not.toBe('');
    expect(seen.headers['x-authenticated-client']).toBe(delegate.key);
    expect(seen.headers['x-authenticated-privileges']).toBe('read_grades');
  });

  test('any other consumer naming a user is permission_denied (403), and the upstream is not reached', async () => {
    const before = upstream.seen.length;
    const res = await new OAuth1Client(gw, tool).send('GET', '/lti/grades', { xoauth_requestor_id: 'alice' });
    expect([res.status, res.form.oauth_problem]).toEqual([403, 'permission_denied']);
    expect(upstream.seen.length).toBe(before);
  });

  test('an unknown or disabled user is permission_denied; a repeated one is parameter_rejected', async () => {
    for (const name of ['nobody-here', 'bob']) {
      const res = await new OAuth1Client(gw, delegate).send('GET', '/lti/grades', { xoauth_requestor_id: name });
      expect([name, res.status, res.form.oauth_problem]).toEqual([name, 403, 'permission_denied']);
    }
    const prepared = new OAuth1Client(gw, delegate).prepare('GET', '/lti/grades', { xoauth_requestor_id: 'alice' });
    const twice = await fetch(`${prepared.url}&xoauth_requestor_id=alice`, prepared.init);
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain('oauth_problem=parameter_rejected');
  });

  test('the requestor id is signed: changing it after signing breaks the signature', async () => {
    const prepared = new OAuth1Client(gw, delegate).prepare('GET', '/lti/grades', { xoauth_requestor_id: 'alice' });
    const res = await fetch(prepared.url.replace('xoauth_requestor_id=alice', 'xoauth_requestor_id=root'), prepared.init);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('oauth_problem=signature_invalid');
  });
});

describe('routes taking both kinds, or only one', () => {
  test('a route accepting oauth1 and oauth1-2legged takes a token request as the user and a two-legged one as the consumer', async () => {
    const { token } = await xauthAccess(new OAuth1Client(gw, tool, 'HMAC-SHA1', 'body'), alice);
    const threeLegged = await new OAuth1Client(gw, tool).send('GET', '/api/me', {}, token);
    expect(threeLegged.status).toBe(200);
    expect(lastSeen().headers['x-authenticated-user']).toBe('alice');
    const twoLegged = await new OAuth1Client(gw, tool).send('GET', '/api/me');
    expect(twoLegged.status).toBe(200);
    expect(lastSeen().headers['x-authenticated-user']).toBe('');
    expect(lastSeen().headers['x-authenticated-client']).toBe(tool.key);
  });

  test('a route accepting only oauth1 refuses a two-legged request: oauth_token is absent', async () => {
    const res = await new OAuth1Client(gw, tool).send('GET', '/legacy/me');
    expect([res.status, res.form.oauth_problem, res.form.oauth_parameters_absent]).toEqual([400, 'parameter_absent', 'oauth_token']);
  });

  test('a route accepting only oauth1-2legged does not take a token request: 401 with an OAuth challenge', async () => {
    const { token } = await xauthAccess(new OAuth1Client(gw, tool, 'HMAC-SHA1', 'body'), alice);
    const before = upstream.seen.length;
    const res = await new OAuth1Client(gw, tool).send('GET', '/lti/launch', {}, token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^OAuth /);
    expect(upstream.seen.length).toBe(before);
  });

  test('an unsigned request to a two-legged route is 401 with an OAuth challenge', async () => {
    const res = await fetch(`${gw.url}/lti/launch`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^OAuth /);
  });
});

test('no secret or token reaches the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
