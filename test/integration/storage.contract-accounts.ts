import { DuplicateError } from '../../src/storage';
import { NOW, client, consumer, profile, shortId, useStore, user, type StoreTarget } from './storage.contract-fixtures';

export function accountsContract(target: StoreTarget): void {
  const ctx = useStore(target);

  describe('profiles', () => {
    test('a created profile is found by id and by name, privileges and time intact', async () => {
      const p = profile({ privileges: ['api:read', 'api:write'] });
      await ctx.store.profiles.create(p);
      expect(await ctx.store.profiles.findById(p.id)).toEqual(p);
      expect(await ctx.store.profiles.findByName(p.name)).toEqual(p);
      expect(await ctx.store.profiles.findByName('no such profile')).toBeNull();
    });

    test('list returns created profiles', async () => {
      const a = profile();
      await ctx.store.profiles.create(a);
      expect((await ctx.store.profiles.list()).map((p) => p.id)).toContain(a.id);
    });

    test('a second profile with the same name is a DuplicateError', async () => {
      const a = profile();
      await ctx.store.profiles.create(a);
      await expect(ctx.store.profiles.create(profile({ name: a.name }))).rejects.toBeInstanceOf(DuplicateError);
    });
  });

  describe('users', () => {
    test('a created user is found by id with every field as written', async () => {
      const u = user({ profileId: 'p1', enabled: false });
      await ctx.store.users.create(u);
      expect(await ctx.store.users.findById(u.id)).toEqual(u);
    });

    test('findByUsername ignores case', async () => {
      const u = user({ username: shortId('MiXeD') });
      await ctx.store.users.create(u);
      expect((await ctx.store.users.findByUsername(u.username.toUpperCase()))?.id).toBe(u.id);
      expect((await ctx.store.users.findByUsername(u.username.toLowerCase()))?.id).toBe(u.id);
    });

    test('findByUsername matches Unicode compatibility forms (NFKC)', async () => {
      const name = shortId('bob');
      await ctx.store.users.create(user({ username: name }));
      // Full-width Latin letters fold to ASCII under NFKC.
      const fullWidth = name.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
      expect((await ctx.store.users.findByUsername(fullWidth))?.username).toBe(name);
    });

    test('the username key is derived by the store, whatever the caller passed', async () => {
      const u = user({ username: shortId('Carol'), usernameKey: 'wrong' });
      await ctx.store.users.create(u);
      expect((await ctx.store.users.findById(u.id))?.usernameKey).toBe(u.username.toLowerCase());
    });

    test('a username differing only in case is a DuplicateError', async () => {
      const u = user({ username: shortId('dave') });
      await ctx.store.users.create(u);
      await expect(ctx.store.users.create(user({ username: u.username.toUpperCase() }))).rejects.toBeInstanceOf(
        DuplicateError,
      );
    });

    test('setEnabled finds the user by username in any case and reports unknown users', async () => {
      const u = user();
      await ctx.store.users.create(u);
      expect(await ctx.store.users.setEnabled(u.username.toUpperCase(), false)).toBe(true);
      expect((await ctx.store.users.findById(u.id))?.enabled).toBe(false);
      expect(await ctx.store.users.setEnabled(shortId('ghost'), false)).toBe(false);
    });

    test('setPasswordHash replaces the hash and reports unknown users', async () => {
      const u = user();
      await ctx.store.users.create(u);
      expect(await ctx.store.users.setPasswordHash(u.username, 'scrypt$new')).toBe(true);
      expect((await ctx.store.users.findById(u.id))?.passwordHash).toBe('scrypt$new');
      expect(await ctx.store.users.setPasswordHash(shortId('ghost'), 'x')).toBe(false);
    });

    test('a user created without directory fields is a local user; an LDAP user keeps its source', async () => {
      const { source: _source, displayName: _displayName, email: _email, ...local } = user();
      await ctx.store.users.create(local);
      expect(await ctx.store.users.findById(local.id)).toEqual({ ...local, source: 'local', displayName: null, email: null });
      const fromDirectory = user({ source: 'ldap', passwordHash: '', displayName: 'Ada Lovelace', email: 'ada@example.test' });
      await ctx.store.users.create(fromDirectory);
      expect(await ctx.store.users.findById(fromDirectory.id)).toEqual(fromDirectory);
    });

    test('updateFromDirectory replaces profile, display name and email, and reports unknown ids', async () => {
      const u = user({ source: 'ldap', passwordHash: '' });
      await ctx.store.users.create(u);
      const fields = { profileId: 'p2', displayName: 'New Name', email: 'new@example.test' };
      expect(await ctx.store.users.updateFromDirectory(u.id, fields)).toBe(true);
      expect(await ctx.store.users.findById(u.id)).toEqual({ ...u, ...fields });
      expect(await ctx.store.users.updateFromDirectory(shortId('ghost'), fields)).toBe(false);
    });

    test('list returns created users', async () => {
      const u = user();
      await ctx.store.users.create(u);
      expect((await ctx.store.users.list()).map((x) => x.id)).toContain(u.id);
    });
  });

  describe('consumers', () => {
    test('a created consumer is found by key with every field as written', async () => {
      const full = consumer({
        callbackUrl: 'https://c.example/cb', callbackMatch: 'exact', xauth: true, profileId: 'p1', accessTtl: 3600,
        rsaPublicKey: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n', signatureMethods: ['HMAC-SHA256', 'RSA-SHA1'], requestor: true,
      });
      const bare = consumer();
      await ctx.store.consumers.create(full);
      await ctx.store.consumers.create(bare);
      expect(await ctx.store.consumers.findByKey(full.key)).toEqual(full);
      expect(await ctx.store.consumers.findByKey(bare.key)).toEqual(bare);
      expect(await ctx.store.consumers.findByKey('unknown')).toBeNull();
    });

    test('a second consumer with the same key is a DuplicateError', async () => {
      const c = consumer();
      await ctx.store.consumers.create(c);
      await expect(ctx.store.consumers.create(consumer({ key: c.key }))).rejects.toBeInstanceOf(DuplicateError);
    });

    test('setEnabled switches a consumer and reports unknown keys', async () => {
      const c = consumer();
      await ctx.store.consumers.create(c);
      expect(await ctx.store.consumers.setEnabled(c.key, false)).toBe(true);
      expect((await ctx.store.consumers.findByKey(c.key))?.enabled).toBe(false);
      expect(await ctx.store.consumers.setEnabled('unknown', true)).toBe(false);
    });

    test('setCallback registers, changes and removes the callback and its match, and reports unknown keys', async () => {
      const c = consumer();
      await ctx.store.consumers.create(c);
      expect(await ctx.store.consumers.setCallback(c.key, 'myapp://callback', 'exact')).toBe(true);
      expect(await ctx.store.consumers.findByKey(c.key)).toMatchObject({ callbackUrl: 'myapp://callback', callbackMatch: 'exact' });
      expect(await ctx.store.consumers.setCallback(c.key, null, 'prefix')).toBe(true);
      expect(await ctx.store.consumers.findByKey(c.key)).toMatchObject({ callbackUrl: null, callbackMatch: 'prefix' });
      expect(await ctx.store.consumers.setCallback('unknown', 'oob', 'prefix')).toBe(false);
    });

    test('a consumer written without a match mode gets prefix (the column default, as migrated rows do)', async () => {
      const c = consumer({ callbackUrl: 'https://c.example/cb' });
      const { callbackMatch: _omitted, ...withoutMatch } = c;
      await ctx.store.consumers.create(withoutMatch as typeof c);
      expect((await ctx.store.consumers.findByKey(c.key))?.callbackMatch).toBe('prefix');
    });

    test('list returns created consumers', async () => {
      const c = consumer();
      await ctx.store.consumers.create(c);
      expect((await ctx.store.consumers.list()).map((x) => x.key)).toContain(c.key);
    });
  });

  describe('clients', () => {
    test('a created client is found by id with every field as written', async () => {
      const c = client({
        secretHash: 'scrypt$h', redirectUris: ['https://a.example/cb', 'http://127.0.0.1/cb'],
        grants: ['authorization_code', 'refresh_token'], scopes: ['read', 'write'], implicit: true,
        allowPlainPkce: true, requirePar: true, accessTtl: 60, refreshTtl: 600, codeTtl: 30, profileId: 'p1', createdAt: NOW + 1,
      });
      await ctx.store.clients.create(c);
      expect(await ctx.store.clients.findById(c.clientId)).toEqual(c);
      expect(await ctx.store.clients.findById('unknown')).toBeNull();
    });

    test('a second client with the same id is a DuplicateError', async () => {
      const c = client();
      await ctx.store.clients.create(c);
      await expect(ctx.store.clients.create(client({ clientId: c.clientId }))).rejects.toBeInstanceOf(DuplicateError);
    });

    test('setEnabled switches a client and reports unknown ids', async () => {
      const c = client();
      await ctx.store.clients.create(c);
      expect(await ctx.store.clients.setEnabled(c.clientId, false)).toBe(true);
      expect((await ctx.store.clients.findById(c.clientId))?.enabled).toBe(false);
      expect(await ctx.store.clients.setEnabled('unknown', true)).toBe(false);
    });

    test('list returns created clients', async () => {
      const c = client();
      await ctx.store.clients.create(c);
      expect((await ctx.store.clients.list()).map((x) => x.clientId)).toContain(c.clientId);
    });
  });
}
