import { setUserPassword } from '../../src/accounts/admin';
import { Browser, decide, isConsentPage, openAuthorization, pkcePair, queryOf, readForm } from '../helpers/browser';
import { OAuth1Client, startOAuth1Gateway, tokenOf, type ConsumerCredentials, type OAuth1Gateway } from '../helpers/oauth1';
import { startPrivateSlapd, GROUPS, PEOPLE, SERVICE_DN, type PrivateSlapd } from '../helpers/private-slapd';

// LDAP as a user store, against a real slapd: the login page, the password grant, xAuth and the
// ClearPass API all check directory users; users are provisioned at their first login with the
// profile their groups map to; a directory that does not answer is 503, never a wrong password.

const MAX_FAILURES = 3;
const ldapUsers = {
  alice: { username: 'alice', password: 'alice-directory-pw' },
  erin: { username: 'erin', password: 'erin-directory-pw' },
  frank: { username: 'frank', password: 'frank-directory-pw' },
  gina: { username: 'gina', password: 'gina-directory-pw' },
  // Also a local user, with another password: the local account is never taken over.
  bob: { username: 'bob', password: 'bob-directory-pw' },
};
const carol = { username: 'carol', password: 'carol-local-password' };
const localBob = { username: 'bob', password: 'bob-local-password' };

let slapd: PrivateSlapd;
let gw: OAuth1Gateway;
let xauthConsumer: ConsumerCredentials;
let address = 0;

/** Each test speaks from its own address (loopback is a trusted proxy), so lock-outs do not spill over. */
const nextAddress = () => `198.51.100.${++address}`;

function passwordGrant(user: { username: string; password: string }, from: string) {
  return gw.request('/oauth2/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'app', username: user.username, password: user.password }).toString(),
  });
}

/**
 * The status of the first password grant that is not a 503, within a few seconds: a directory just
 * restarted after a kill may be slow to its first answer on a loaded machine (the check's own time
 * limit is 2 s here), but it must come back, and meanwhile nothing but 503 is answered.
 */
async function grantOnceBack(user: { username: string; password: string }, from: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const res = await passwordGrant(user, from);
    if (res.status !== 503 || attempt >= 5) return res.status;
    expect(res.json.error).toBe('temporarily_unavailable');
    await new Promise((r) => setTimeout(r, 500));
  }
}

function clearpass(user: { username: string; password: string }, from: string) {
  return gw.request('/api/oauth', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ grant_type: 'password', client_id: 'app', username: user.username, password: user.password }),
  });
}

function xauth(user: { username: string; password: string }, from: string) {
  const client = new OAuth1Client(gw, xauthConsumer, 'HMAC-SHA1', 'body');
  return client.send(
    'POST',
    '/oauth/xauth_access_token',
    { x_auth_username: user.username, x_auth_password: user.password, x_auth_mode: 'client_auth' },
    undefined,
    { headers: { 'x-forwarded-for': from } },
  );
}

async function signIn(user: { username: string; password: string }, from: string) {
  const browser = new Browser(gw.url);
  const page = await browser.get('/login');
  expect(page.status).toBe(200);
  const form = readForm(page.text);
  return browser.post(form.action, { ...form.fields, username: user.username, password: user.password }, { 'x-forwarded-for': from });
}

beforeAll(async () => {
  slapd = await startPrivateSlapd({
    users: [
      { uid: 'alice', password: ldapUsers.alice.password, cn: 'Alice Liddell', mail: 'alice@example.test' },
      { uid: 'erin', password: ldapUsers.erin.password },
      { uid: 'frank', password: ldapUsers.frank.password },
      { uid: 'gina', password: ldapUsers.gina.password },
      { uid: 'bob', password: ldapUsers.bob.password },
    ],
    groups: [
      { cn: 'api-operators', members: ['alice'] },
      { cn: 'everyone', members: ['alice', 'erin', 'frank', 'gina', 'bob'] },
    ],
  });
  gw = await startOAuth1Gateway({
    config: {
      server: { trustedProxies: ['127.0.0.1'] },
      login: { maxFailures: MAX_FAILURES, maxFailuresPerAddress: 50, lockSeconds: 300 },
      ldap: {
        url: slapd.url,
        bindDN: SERVICE_DN,
        bindPassword: slapd.servicePassword,
        searchBase: PEOPLE,
        searchFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
        groups: { searchBase: GROUPS, searchFilter: '(member={dn})' },
        // The first mapping that matches wins: alice is in both groups.
        profiles: [
          { group: `cn=API-Operators, ${GROUPS}`, profile: 'API Operator' },
          { group: `cn=everyone,${GROUPS}`, profile: 'Staff' },
        ],
        defaultProfile: null,
        // Short, so a frozen directory costs each refused request two seconds; long enough for a loaded machine.
        connectTimeoutSeconds: 2,
        operationTimeoutSeconds: 2,
      },
    },
  });
  gw.remember(slapd.servicePassword, ...Object.values(ldapUsers).map((u) => u.password), carol.password, localBob.password);
  await gw.fixtures.profile('API Operator', ['api_access', 'guest_users']);
  await gw.fixtures.profile('Staff', ['guest_users']);
  await gw.fixtures.user(carol.username, carol.password);
  await gw.fixtures.user(localBob.username, localBob.password);
  await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  await gw.fixtures.client({ id: 'spa', name: 'Single Page', grants: 'authorization_code', public: true, redirectUris: ['https://spa.example/cb'] });
  xauthConsumer = await gw.consumer({ name: 'Mobile App', xauth: true });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await slapd?.destroy();
});

describe('a directory user', () => {
  test('signs in on the login page and is provisioned with the profile of its first mapped group', async () => {
    const signedIn = await signIn(ldapUsers.alice, nextAddress());
    expect(signedIn.status).toBe(303);
    const user = await gw.deps.store.users.findByUsername('alice');
    const apiOperator = await gw.deps.store.profiles.findByName('API Operator');
    expect(user).toMatchObject({ source: 'ldap', passwordHash: '', displayName: 'Alice Liddell', email: 'alice@example.test', profileId: apiOperator!.id, enabled: true });
  });

  test('signs in during an OAuth 2.0 authorization (code with PKCE), and the token names the user', async () => {
    const browser = new Browser(gw.url);
    const { verifier, challenge } = pkcePair();
    let page = await openAuthorization(browser, { client_id: 'spa', response_type: 'code', redirect_uri: 'https://spa.example/cb', code_challenge: challenge, code_challenge_method: 'S256' }, ldapUsers.alice);
    if (isConsentPage(page)) page = await decide(browser, page, 'approve');
    const code = queryOf(page.location).get('code');
    gw.remember(code);
    expect(code).toEqual(expect.any(String));
    const issued = await gw.request('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'spa', code: code!, redirect_uri: 'https://spa.example/cb', code_verifier: verifier }).toString(),
    });
    expect(issued.status).toBe(200);
    const me = await gw.request('/oauth2/whoami', { headers: { authorization: `Bearer ${issued.json.access_token}` } });
    expect([me.status, me.json?.username]).toEqual([200, 'alice']);
  });

  test('gets tokens from the password grant; a wrong password is invalid_grant', async () => {
    const from = nextAddress();
    const ok = await passwordGrant(ldapUsers.erin, from);
    expect(ok.status).toBe(200);
    expect(ok.json.access_token).toEqual(expect.any(String));
    const staff = await gw.deps.store.profiles.findByName('Staff');
    expect(await gw.deps.store.users.findByUsername('erin')).toMatchObject({ source: 'ldap', profileId: staff!.id });

    const wrong = await passwordGrant({ username: 'erin', password: 'not-her-password' }, from);
    expect([wrong.status, wrong.json.error]).toEqual([400, 'invalid_grant']);
  });

  test('gets an xAuth session whose token signs resource requests; a wrong password is 401 permission_denied', async () => {
    const from = nextAddress();
    const result = await xauth(ldapUsers.alice, from);
    gw.remember(result.form.oauth_token, result.form.oauth_token_secret, result.form.oauth_session_handle);
    expect(result.status).toBe(200);
    const me = await new OAuth1Client(gw, xauthConsumer, 'HMAC-SHA1', 'body').whoami(tokenOf(result.form));
    expect([me.status, me.json?.username]).toEqual([200, 'alice']);

    const wrong = await xauth({ username: 'alice', password: 'guess' }, from);
    expect([wrong.status, wrong.form.oauth_problem]).toEqual([401, 'permission_denied']);
  });

  test('on the ClearPass API: API access comes from the mapped profile', async () => {
    const from = nextAddress();
    const alice = await clearpass(ldapUsers.alice, from);
    expect(alice.status).toBe(200);
    expect(alice.json.access_token).toEqual(expect.any(String));
    // erin's groups map to Staff, which has no api_access.
    const erin = await clearpass(ldapUsers.erin, from);
    expect(erin.status).toBe(403);
  });

  test('is updated from the directory at each login: a new group changes the profile', async () => {
    const from = nextAddress();
    expect((await passwordGrant(ldapUsers.gina, from)).status).toBe(200);
    const staff = await gw.deps.store.profiles.findByName('Staff');
    expect(await gw.deps.store.users.findByUsername('gina')).toMatchObject({ profileId: staff!.id, displayName: 'gina' });

    await slapd.modify(
      `dn: ${slapd.groupDN('api-operators')}\nchangetype: modify\nadd: member\nmember: ${slapd.userDN('gina')}\n\n` +
        `dn: ${slapd.userDN('gina')}\nchangetype: modify\nreplace: cn\ncn: Gina Grey\n`,
    );
    expect((await clearpass(ldapUsers.gina, from)).status).toBe(200);
    const apiOperator = await gw.deps.store.profiles.findByName('API Operator');
    expect(await gw.deps.store.users.findByUsername('gina')).toMatchObject({ profileId: apiOperator!.id, displayName: 'Gina Grey' });
  });

  test('has no local password to change: user passwd refuses it, naming the directory', async () => {
    expect((await passwordGrant(ldapUsers.erin, nextAddress())).status).toBe(200);
    const admin = { store: gw.deps.store, secrets: gw.deps.secrets, clock: gw.deps.clock };
    await expect(setUserPassword(admin, 'erin', 'a-new-local-password')).rejects.toThrow(/signs in through LDAP/);
    expect(await gw.deps.store.users.findByUsername('erin')).toMatchObject({ passwordHash: '' });
  });

  test('disabled by an operator after provisioning, is refused even with the right directory password', async () => {
    const from = nextAddress();
    expect((await passwordGrant(ldapUsers.erin, from)).status).toBe(200);
    await gw.deps.store.users.setEnabled('erin', false);
    try {
      const refused = await passwordGrant(ldapUsers.erin, from);
      expect([refused.status, refused.json.error]).toEqual([400, 'invalid_grant']);
    } finally {
      await gw.deps.store.users.setEnabled('erin', true);
    }
  });
});

test('a filter-injection username is a literal name: refused, and nobody is provisioned', async () => {
  const from = nextAddress();
  for (const password of [ldapUsers.alice.password, 'anything']) {
    const grant = await passwordGrant({ username: '*)(uid=*', password }, from);
    expect([grant.status, grant.json.error]).toEqual([400, 'invalid_grant']);
  }
  const star = await passwordGrant({ username: '*', password: ldapUsers.alice.password }, from);
  expect([star.status, star.json.error]).toEqual([400, 'invalid_grant']);
  const page = await signIn({ username: 'al*', password: ldapUsers.alice.password }, from);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/wrong|incorrect/i);
  expect(await gw.deps.store.users.findByUsername('*)(uid=*')).toBeNull();
  expect(await gw.deps.store.users.findByUsername('*')).toBeNull();
});

test('wrong directory passwords lock the username out on every channel', async () => {
  const from = nextAddress();
  for (let i = 0; i < MAX_FAILURES; i++) {
    const wrong = await passwordGrant({ username: 'frank', password: `wrong-${i}` }, from);
    expect(wrong.status).toBe(400);
  }
  const grant = await passwordGrant(ldapUsers.frank, nextAddress());
  expect(grant.status).toBe(429);
  const viaXauth = await xauth(ldapUsers.frank, nextAddress());
  expect(viaXauth.status).toBe(429);
});

describe('local users beside directory ones', () => {
  test('a local user signs in with its local password', async () => {
    const grant = await passwordGrant(carol, nextAddress());
    expect(grant.status).toBe(200);
    expect((await signIn(carol, nextAddress())).status).toBe(303);
  });

  test('a name that is a local user is checked locally: the directory password of the same name does not take it over', async () => {
    const from = nextAddress();
    expect((await passwordGrant(localBob, from)).status).toBe(200);
    const viaDirectory = await passwordGrant(ldapUsers.bob, from);
    expect([viaDirectory.status, viaDirectory.json.error]).toEqual([400, 'invalid_grant']);
    expect(await gw.deps.store.users.findByUsername('bob')).toMatchObject({ source: 'local' });
  });
});

describe('the directory down', () => {
  afterEach(async () => {
    slapd.thaw();
    await slapd.start().catch(() => undefined);
  });

  test('frozen (SIGSTOP): every channel answers 503 after the time limit, never a wrong password; local users keep working', async () => {
    const from = nextAddress();
    slapd.freeze();
    const grant = await passwordGrant(ldapUsers.gina, from);
    expect([grant.status, grant.json.error]).toEqual([503, 'temporarily_unavailable']);
    expect(grant.headers.get('retry-after')).toBe('5');

    const api = await clearpass(ldapUsers.gina, from);
    expect([api.status, api.json?.title]).toEqual([503, 'temporarily_unavailable']);

    const viaXauth = await xauth(ldapUsers.gina, from);
    expect(viaXauth.status).toBe(503);
    expect(viaXauth.form.oauth_problem).not.toBe('permission_denied');

    const page = await signIn(ldapUsers.gina, from);
    expect(page.status).toBe(503);

    // More refused checks than MAX_FAILURES: none counted as a failed guess.
    const again = await passwordGrant({ username: 'gina', password: 'wrong-while-down' }, from);
    expect(again.status).toBe(503);

    expect((await passwordGrant(carol, from)).status).toBe(200);

    slapd.thaw();
    const after = await passwordGrant(ldapUsers.gina, from);
    expect(after.status).toBe(200);
  });

  test('killed: 503 at once; back up, directory users sign in again', async () => {
    const from = nextAddress();
    await slapd.kill();
    const grant = await passwordGrant(ldapUsers.erin, from);
    expect([grant.status, grant.json.error]).toEqual([503, 'temporarily_unavailable']);
    const viaXauth = await xauth(ldapUsers.erin, from);
    expect(viaXauth.status).toBe(503);
    expect((await signIn(carol, from)).status).toBe(303);

    await slapd.start();
    expect(await grantOnceBack(ldapUsers.erin, from)).toBe(200);
  });

  test('the outage is logged without passwords', async () => {
    await slapd.kill();
    expect((await passwordGrant(ldapUsers.erin, nextAddress())).status).toBe(503);
    await slapd.start();
    expect(await grantOnceBack(ldapUsers.erin, nextAddress())).toBe(200);
    expect(gw.logText()).toMatch(/ldap: the directory is unavailable/);
    expect(gw.logText()).toMatch(/ldap: the directory answers again/);
    expect(gw.leakedSecrets()).toEqual([]);
  });
});
