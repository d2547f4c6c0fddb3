import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { LdapDirectory } from '../../src/accounts/ldap/directory';
import { DirectoryUnavailableError } from '../../src/accounts/ldap/errors';
import { loadConfig } from '../../src/config';
import type { LdapConfig } from '../../src/config/ldap';
import { createLogger } from '../../src/http/logger';
import { systemClock } from '../../src/clock';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startPrivateSlapd, GROUPS, PEOPLE, SERVICE_DN, type PrivateSlapd } from '../helpers/private-slapd';
import { tempDataDir, type TempDir } from '../helpers/sqlite';

// The directory client (src/accounts/ldap/directory.ts) against a real slapd: what it answers for
// each kind of name and password, what it calls an outage, and the ["ldap","local"] order.

let slapd: PrivateSlapd;
let temp: TempDir;
let logged = '';

const sink = new Writable({
  write(chunk, _encoding, done) {
    logged += chunk.toString();
    done();
  },
});

function ldapConfig(overrides: Record<string, unknown> = {}): LdapConfig {
  const config = loadConfig({
    env: {},
    overrides: {
      ldap: {
        url: slapd.url,
        bindDN: SERVICE_DN,
        bindPassword: slapd.servicePassword,
        searchBase: PEOPLE,
        groups: { searchBase: GROUPS, searchFilter: '(member={dn})' },
        connectTimeoutSeconds: 2,
        operationTimeoutSeconds: 2,
        ...overrides,
      },
    },
  });
  return config.ldap!;
}

const directory = (overrides: Record<string, unknown> = {}) =>
  new LdapDirectory({ config: ldapConfig(overrides), logger: createLogger('info', sink), clock: systemClock });

beforeAll(async () => {
  temp = tempDataDir('ldap');
  slapd = await startPrivateSlapd({
    users: [
      { uid: 'alice', password: 'alice-pw', cn: 'Alice Liddell', mail: 'alice@example.test' },
      { uid: 'bob', password: 'bob-directory-pw' },
    ],
    groups: [{ cn: 'staff', members: ['alice'] }],
    tls: true,
  });
}, 60_000);

afterAll(async () => {
  await slapd?.destroy();
  temp?.remove();
});

test('the right password: the entry, its attributes and its groups', async () => {
  const verdict = await directory().verify('alice', 'alice-pw');
  expect(verdict).toEqual({
    found: true,
    entry: { dn: slapd.userDN('alice'), displayName: 'Alice Liddell', email: 'alice@example.test', groups: [slapd.groupDN('staff')] },
  });
});

test('names compare as the directory compares them: ALICE is alice', async () => {
  const verdict = await directory().verify('ALICE', 'alice-pw');
  expect(verdict.found && verdict.entry?.dn).toBe(slapd.userDN('alice'));
});

test('a wrong password: found, no entry; an unknown name: not found', async () => {
  expect(await directory().verify('alice', 'wrong')).toEqual({ found: true, entry: null });
  expect(await directory().verify('nobody', 'alice-pw')).toEqual({ found: false });
});

test('an empty password is refused without a bind (it would be an unauthenticated bind)', async () => {
  expect(await directory().verify('alice', '')).toEqual({ found: true, entry: null });
});

test('filter metacharacters in the name are escaped: no wildcard, no second clause', async () => {
  for (const name of ['*', 'a*', '*)(uid=*', 'alice)(|(uid=*', 'alice\\', 'alice\u0000']) {
    expect(await directory().verify(name, 'alice-pw')).toEqual({ found: false });
  }
});

test('a filter that matches several entries for one name refuses the sign-in', async () => {
  const loose = directory({ searchFilter: '(|(uid={username})(objectClass=inetOrgPerson))' });
  expect(await loose.verify('alice', 'alice-pw')).toEqual({ found: true, entry: null });
  expect(logged).toMatch(/matches more than one entry/);
});

test('a wrong service password is an outage, not a wrong user password', async () => {
  await expect(directory({ bindPassword: 'not-the-service-password' }).verify('alice', 'alice-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
  expect(logged).not.toContain('not-the-service-password');
});

describe('TLS (the certificate names localhost)', () => {
  const startTlsUrl = () => slapd.url.replace('127.0.0.1', 'localhost');

  test('StartTLS on ldap://, the certificate checked against caFile', async () => {
    const verdict = await directory({ url: startTlsUrl(), startTls: true, caFile: slapd.caFile }).verify('alice', 'alice-pw');
    expect(verdict.found && verdict.entry?.dn).toBe(slapd.userDN('alice'));
  });

  test('ldaps://, the certificate checked against caFile; a wrong password is still just wrong', async () => {
    const verdict = await directory({ url: slapd.ldapsUrl, caFile: slapd.caFile }).verify('alice', 'alice-pw');
    expect(verdict.found && verdict.entry?.dn).toBe(slapd.userDN('alice'));
    expect(await directory({ url: slapd.ldapsUrl, caFile: slapd.caFile }).verify('alice', 'wrong')).toEqual({ found: true, entry: null });
  });

  test('a certificate no trusted CA signed is an outage, for StartTLS and ldaps alike: never a fallback to plain LDAP', async () => {
    await expect(directory({ url: startTlsUrl(), startTls: true }).verify('alice', 'alice-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(directory({ url: slapd.ldapsUrl }).verify('alice', 'alice-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
  });

  test('the certificate must name the host of the URL: the same server by address is refused', async () => {
    const byAddress = slapd.ldapsUrl!.replace('localhost', '127.0.0.1');
    await expect(directory({ url: byAddress, caFile: slapd.caFile }).verify('alice', 'alice-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(directory({ url: slapd.url, startTls: true, caFile: slapd.caFile }).verify('alice', 'alice-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(logged).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate|altnames/i);
  });
});

test('the service password from a file (one trailing newline ignored)', async () => {
  const file = path.join(temp.dir, 'bind-password');
  fs.writeFileSync(file, slapd.servicePassword + '\n', { mode: 0o600 });
  const verdict = await directory({ bindPassword: null, bindPasswordFile: file }).verify('alice', 'alice-pw');
  expect(verdict.found && verdict.entry?.dn).toBe(slapd.userDN('alice'));
});

test('a missing password file stops the start with the key named', () => {
  expect(() => directory({ bindPassword: null, bindPasswordFile: path.join(temp.dir, 'missing') })).toThrow(/ldap\.bindPasswordFile: cannot read .*ENOENT/);
});

describe('order ["ldap","local"]', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      config: {
        ldap: { url: slapd.url, bindDN: SERVICE_DN, bindPassword: slapd.servicePassword, searchBase: PEOPLE, order: ['ldap', 'local'], connectTimeoutSeconds: 2, operationTimeoutSeconds: 2 },
      },
    });
    await gw.fixtures.user('bob', 'bob-local-password');
    await gw.fixtures.user('carol', 'carol-local-password');
    await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  });
  afterAll(() => gw?.close());

  const grant = (username: string, password: string) =>
    gw.request('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'app', username, password }).toString(),
    });

  test('the directory decides a name it knows; a local name it does not know is checked locally', async () => {
    expect((await grant('alice', 'alice-pw')).status).toBe(200);
    expect((await grant('carol', 'carol-local-password')).status).toBe(200);
    // bob is in the directory: his local password is not asked, and the directory's bob does not take over the local row.
    expect((await grant('bob', 'bob-local-password')).json?.error).toBe('invalid_grant');
    expect((await grant('bob', 'bob-directory-pw')).json?.error).toBe('invalid_grant');
    expect(await gw.deps.store.users.findByUsername('bob')).toMatchObject({ source: 'local' });
  });

  test('with the directory down every name is 503: the directory would have been asked first', async () => {
    await slapd.stop();
    try {
      const res = await grant('carol', 'carol-local-password');
      expect([res.status, res.json?.error]).toEqual([503, 'temporarily_unavailable']);
    } finally {
      await slapd.start();
    }
  });
});

describe('a bound on checks in flight', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({
      config: {
        server: { trustedProxies: ['127.0.0.1'] },
        ldap: { url: slapd.url, bindDN: SERVICE_DN, bindPassword: slapd.servicePassword, searchBase: PEOPLE, maxConcurrent: 1, maxQueued: 0, operationTimeoutSeconds: 3 },
      },
    });
    await gw.fixtures.client({ id: 'app', name: 'App', grants: 'password', public: true });
  });
  afterAll(() => gw?.close());

  test('past maxConcurrent and maxQueued a check is refused at once: 503 with Retry-After 1, beside the one waiting on the frozen directory', async () => {
    slapd.freeze();
    try {
      const grant = (from: string) =>
        gw.request('/oauth2/token', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': from },
          body: new URLSearchParams({ grant_type: 'password', client_id: 'app', username: 'alice', password: 'alice-pw' }).toString(),
        });
      const answers = await Promise.all([grant('203.0.113.1'), grant('203.0.113.2')]);
      expect(answers.map((a) => [a.status, a.json?.error])).toEqual([
        [503, 'temporarily_unavailable'],
        [503, 'temporarily_unavailable'],
      ]);
      // One waited on the directory (an outage: Retry-After 5), one found no free slot (busy: Retry-After 1).
      expect(answers.map((a) => a.headers.get('retry-after')).sort()).toEqual(['1', '5']);
    } finally {
      slapd.thaw();
    }
    const after = await gw.request('/oauth2/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'app', username: 'alice', password: 'alice-pw' }).toString(),
    });
    expect(after.status).toBe(200);
  });
});
