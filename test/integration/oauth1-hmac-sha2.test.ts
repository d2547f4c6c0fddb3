import { OAuth as NodeOAuth } from 'oauth';
import { OAuth1Client, startOAuth1Gateway, xauthAccess, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';

// HMAC-SHA256 and HMAC-SHA512 (NetSuite token-based authentication, Magento integrations): the
// same construction as HMAC-SHA1 with another hash. Signed by the oauth-1.0a library (its
// hash_function hook) and, for HMAC-SHA256, by node-oauth. The methods a consumer may use are its
// own list when it has one, bounded by the gateway's oauth1.signatureMethods.

const alice = { username: 'alice', password: 'alice-password-1' };
let gw: OAuth1Gateway;
let netsuite: ConsumerCredentials;

beforeAll(async () => {
  gw = await startOAuth1Gateway();
  await gw.fixtures.user(alice.username, alice.password);
  netsuite = await gw.consumer({ name: 'NetSuite', xauth: true, signatureMethods: 'HMAC-SHA256,HMAC-SHA512' });
});
afterAll(() => gw.close());

describe.each(['HMAC-SHA256', 'HMAC-SHA512'] as const)('%s', (method) => {
  test.each(['header', 'body', 'query'] as const)('request token, xAuth access token and a signed resource request, parameters in the %s', async (placement) => {
    const client = new OAuth1Client(gw, netsuite, method, placement);
    const { result } = await client.requestToken('oob');
    expect(result.status).toBe(200);
    const { token } = await xauthAccess(new OAuth1Client(gw, netsuite, method, 'body'), alice);
    const me = await client.whoami(token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ username: 'alice', clientId: netsuite.key });
  });

  test('a signature made with another token secret is signature_invalid', async () => {
    const client = new OAuth1Client(gw, netsuite, method);
    const { token } = await xauthAccess(new OAuth1Client(gw, netsuite, method, 'body'), alice);
    const me = await client.whoami({ key: token.key, secret: `${token.secret}x` });
    expect([me.status, me.form.oauth_problem]).toEqual([401, 'signature_invalid']);
  });
});

test('node-oauth signs HMAC-SHA256: request token and a signed GET', async () => {
  const oa = new NodeOAuth(`${gw.url}/oauth/request_token`, `${gw.url}/oauth/access_token`, netsuite.key, netsuite.secret, '1.0', 'oob', 'HMAC-SHA256');
  (oa as unknown as { _getTimestamp: () => number })._getTimestamp = () => Math.floor(gw.clock() / 1000);
  const requested = await new Promise<{ token: string; secret: string }>((resolve, reject) =>
    oa.getOAuthRequestToken((err, token, secret) => (err ? reject(new Error(JSON.stringify(err))) : resolve({ token, secret }))),
  );
  gw.remember(requested.token, requested.secret);
  expect(requested.token).toMatch(/.{16,}/);

  const { token } = await xauthAccess(new OAuth1Client(gw, netsuite, 'HMAC-SHA256', 'body'), alice);
  const body = await new Promise<string>((resolve, reject) =>
    oa.get(`${gw.url}/oauth/whoami`, token.key, token.secret, (err, data) => (err ? reject(new Error(JSON.stringify(err))) : resolve(String(data)))),
  );
  expect(JSON.parse(body)).toMatchObject({ username: 'alice', clientId: netsuite.key });
});

test('a method left out of the consumer\'s own list is signature_method_rejected (400) with the ones it may use', async () => {
  const result = await new OAuth1Client(gw, netsuite, 'HMAC-SHA1').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
  expect([result.status, result.form.oauth_problem, result.form.oauth_acceptable_signature_methods]).toEqual([
    400,
    'signature_method_rejected',
    'HMAC-SHA256&HMAC-SHA512',
  ]);
});

test("a consumer without its own list may use every method of the gateway's list", async () => {
  const any = await gw.consumer({ name: 'Any method' });
  for (const method of ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512'] as const) {
    const { result } = await new OAuth1Client(gw, any, method).requestToken('oob');
    expect([method, result.status]).toEqual([method, 200]);
  }
});

test("the gateway's list bounds every consumer's: a method it leaves out is refused before the consumer is looked up", async () => {
  const narrow = await startOAuth1Gateway({ config: { oauth1: { signatureMethods: ['HMAC-SHA1'] } } });
  try {
    const c = await narrow.consumer({ name: 'Wants SHA-256', signatureMethods: 'HMAC-SHA256' });
    const refused = await new OAuth1Client(narrow, c, 'HMAC-SHA256').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect([refused.status, refused.form.oauth_problem, refused.form.oauth_acceptable_signature_methods]).toEqual([400, 'signature_method_rejected', 'HMAC-SHA1']);
    // And its own list still holds: HMAC-SHA1 is the gateway's, not this consumer's.
    const own = await new OAuth1Client(narrow, c, 'HMAC-SHA1').send('POST', '/oauth/request_token', { oauth_callback: 'oob' });
    expect([own.status, own.form.oauth_problem]).toEqual([400, 'signature_method_rejected']);
  } finally {
    await narrow.close();
  }
});

test('no secret or token reaches the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
