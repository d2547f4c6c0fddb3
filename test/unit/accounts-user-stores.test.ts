import { authenticateWithLockout } from '../../src/accounts/authenticate';
import { DirectoryUnavailableError } from '../../src/accounts/ldap/errors';
import type { DirectoryUserStore } from '../../src/accounts/ldap/user-store';
import type { StoreAnswer } from '../../src/accounts/user-store';
import type { UserRow } from '../../src/storage/types';

// The one password check over the ordered user stores: which store is asked, which one decides,
// and that every check costs one password hash whoever answers.

const row = (username: string, o: Partial<UserRow> = {}): UserRow => ({
  id: `id-${username}`,
  username,
  usernameKey: username,
  passwordHash: `hash:${username}-local-pw`,
  profileId: null,
  enabled: true,
  credentialVersion: 0,
  createdAt: 0,
  source: 'local',
  displayName: null,
  email: null,
  ...o,
});

function world(options: { first: boolean; directory: Record<string, StoreAnswer | Error> }) {
  const users = new Map([
    ['carol', row('carol')],
    ['bob', row('bob')],
    ['dora', row('dora', { source: 'ldap', passwordHash: '' })],
  ]);
  const calls = { verify: 0, dummy: 0, directory: [] as string[] };
  const directory: DirectoryUserStore = {
    first: options.first,
    async check(username) {
      calls.directory.push(username);
      const answer = options.directory[username] ?? { known: false };
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const deps = {
    store: { users: { findByUsername: async (name: string) => users.get(name) ?? null } },
    hashing: {
      verify: async (password: string, hash: string) => {
        calls.verify += 1;
        return hash === `hash:${password}`;
      },
      verifyAgainstDummy: async () => {
        calls.dummy += 1;
        return false as const;
      },
    },
    lockout: { attempt: <T>(_u: string, _a: string, check: () => Promise<T | null>) => check() },
    directory,
  };
  return { deps, calls, check: (username: string, password: string) => authenticateWithLockout(deps, username, password, '192.0.2.1') };
}

const directoryUser = row('erin', { source: 'ldap', passwordHash: '' });

describe('order ["local","ldap"]', () => {
  test('a local user is checked locally; the directory is not asked', async () => {
    const w = world({ first: false, directory: { carol: { known: true, user: row('carol', { source: 'ldap' }) } } });
    expect((await w.check('carol', 'carol-local-pw'))?.source).toBe('local');
    expect(await w.check('carol', 'wrong')).toBeNull();
    expect(w.calls).toEqual({ verify: 2, dummy: 0, directory: [] });
  });

  test('a name not local goes to the directory, which decides; one dummy hash each', async () => {
    const w = world({ first: false, directory: { erin: { known: true, user: directoryUser } } });
    expect(await w.check('erin', 'anything')).toBe(directoryUser);
    expect(w.calls).toEqual({ verify: 0, dummy: 1, directory: ['erin'] });
  });

  test('a provisioned LDAP row has no local password: the directory is asked for it', async () => {
    const w = world({ first: false, directory: { dora: { known: true, user: null } } });
    expect(await w.check('dora', '')).toBeNull();
    expect(w.calls).toEqual({ verify: 0, dummy: 1, directory: ['dora'] });
  });

  test('a name nobody knows: null after one dummy hash', async () => {
    const w = world({ first: false, directory: {} });
    expect(await w.check('zed', 'pw')).toBeNull();
    expect(w.calls).toEqual({ verify: 0, dummy: 1, directory: ['zed'] });
  });
});

describe('order ["ldap","local"]', () => {
  test('the directory decides a name it knows, even a local one: the local password is not tried', async () => {
    const w = world({ first: true, directory: { bob: { known: true, user: null } } });
    expect(await w.check('bob', 'bob-local-pw')).toBeNull();
    expect(w.calls).toEqual({ verify: 0, dummy: 1, directory: ['bob'] });
  });

  test('a name the directory does not know is checked locally', async () => {
    const w = world({ first: true, directory: {} });
    expect((await w.check('carol', 'carol-local-pw'))?.username).toBe('carol');
    expect(w.calls).toEqual({ verify: 1, dummy: 0, directory: ['carol'] });
  });

  test('a directory outage propagates: no answer is made up, no local fallback', async () => {
    const w = world({ first: true, directory: { carol: new DirectoryUnavailableError(new Error('ECONNREFUSED')) } });
    await expect(w.check('carol', 'carol-local-pw')).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(w.calls.verify).toBe(0);
  });
});
