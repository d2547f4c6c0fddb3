import { loadConfig, ConfigError } from '../../src/config';

// The `ldap` section: what a start refuses, with one line naming the key.

const minimal = { url: 'ldap://directory.example:389', searchBase: 'ou=people,dc=example,dc=com' };

function loadError(ldap: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string {
  try {
    loadConfig({ env, overrides: { ldap } });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('absent by default; a minimal section takes the defaults', () => {
  expect(loadConfig({ env: {} }).ldap).toBeNull();
  expect(loadConfig({ env: {}, overrides: { ldap: minimal } }).ldap).toMatchObject({
    bindDN: null,
    searchFilter: '(uid={username})',
    scope: 'sub',
    startTls: false,
    rejectUnauthorized: true,
    order: ['local', 'ldap'],
    groups: { searchBase: null },
    profiles: [],
    defaultProfile: null,
  });
});

test.each([
  [{ ...minimal, url: 'http://directory.example' }, /ldap\.url: must be an ldap:\/\/ or ldaps:\/\/ URL/],
  [{ ...minimal, url: 'ldap://directory.example/dc=example' }, /ldap\.url: .*no path/],
  [{ url: minimal.url }, /ldap\.searchBase/],
  [{ ...minimal, searchFilter: '(uid=alice)' }, /ldap\.searchFilter: must contain \{username\}/],
  [{ ...minimal, searchFilter: 'uid={username}' }, /ldap\.searchFilter: must be a parenthesized LDAP filter/],
  [{ ...minimal, groups: { searchFilter: '(member=x)' } }, /ldap\.groups\.searchFilter: must contain \{dn\} or \{username\}/],
  [{ ...minimal, bindDN: 'cn=svc,dc=example,dc=com' }, /ldap\.bindPassword: bindDN needs a password/],
  [{ ...minimal, bindDN: 'cn=svc', bindPassword: 'x', bindPasswordFile: '/etc/pw' }, /ldap\.bindPasswordFile: set bindPassword .* not both/],
  [{ ...minimal, url: 'ldaps://directory.example', startTls: true }, /ldap\.startTls: ldaps:\/\/ is TLS already/],
  [{ ...minimal, order: ['ldap', 'ldap'] }, /ldap\.order: must be \["local","ldap"\] or \["ldap","local"\]/],
  [{ ...minimal, operationTimeoutSeconds: 0 }, /ldap\.operationTimeoutSeconds/],
  [{ ...minimal, serverUrl: 'x' }, /ldap\.serverUrl: unknown key/],
])('refused: %j', (ldap, message) => {
  expect(loadError(ldap)).toMatch(message);
});

test('GATEWAY_LDAP_BIND_PASSWORD gives the service password, spaces and all', () => {
  const config = loadConfig({ env: { GATEWAY_LDAP_BIND_PASSWORD: ' pass word ' }, overrides: { ldap: { ...minimal, bindDN: 'cn=svc,dc=example,dc=com' } } });
  expect(config.ldap?.bindPassword).toBe(' pass word ');
});

test('a refused section never echoes the service password', () => {
  const message = loadError({ ...minimal, bindDN: 'cn=svc', bindPassword: 'hunter2-secret', bindPasswordFile: '/etc/pw' });
  expect(message).not.toContain('hunter2-secret');
});
