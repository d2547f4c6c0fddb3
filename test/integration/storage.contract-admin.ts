import { NOW, accessToken, client, consumer, profile, session, useStore, user, type StoreTarget } from './storage.contract-fixtures';

// What the admin API needs of the store: compare-and-set updates on the version, deletes, secret
// changes with a previous secret, consents by user, and the audit log paged newest first.
export function adminContract(target: StoreTarget): void {
  const ctx = useStore(target);

  test('update is a compare-and-set on the version: the first caller with it wins, and the version moves on', async () => {
    const c = client();
    await ctx.store.clients.create(c);
    expect(await ctx.store.clients.update(c.clientId, 0, { name: 'First', redirectUris: ['https://a.example/cb'], accessTtl: 60 })).toBe(true);
    expect(await ctx.store.clients.update(c.clientId, 0, { name: 'Second' })).toBe(false);
    expect(await ctx.store.clients.findById(c.clientId)).toMatchObject({ name: 'First', redirectUris: ['https://a.example/cb'], accessTtl: 60, version: 1 });
    const results = await Promise.all(['a', 'b', 'c'].map((name) => ctx.store.clients.update(c.clientId, 1, { name })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('profiles, users and consumers update the same way; null clears a column', async () => {
    const p = profile();
    await ctx.store.profiles.create(p);
    expect(await ctx.store.profiles.update(p.id, 0, { privileges: ['x'] })).toBe(true);
    expect((await ctx.store.profiles.findById(p.id))?.privileges).toEqual(['x']);
    const u = user({ profileId: p.id });
    await ctx.store.users.create(u);
    expect(await ctx.store.users.update(u.id, 0, { profileId: null })).toBe(true);
    expect(await ctx.store.users.findById(u.id)).toMatchObject({ profileId: null, version: 1 });
    const k = consumer({ callbackUrl: 'https://c.example/cb' });
    await ctx.store.consumers.create(k);
    expect(await ctx.store.consumers.update(k.key, 0, { callbackUrl: null, xauth: true })).toBe(true);
    expect(await ctx.store.consumers.findByKey(k.key)).toMatchObject({ callbackUrl: null, xauth: true, version: 1 });
  });

  test('a profile counts the users, clients and consumers that name it', async () => {
    const p = profile();
    await ctx.store.profiles.create(p);
    expect(await ctx.store.profiles.usage(p.id)).toBe(0);
    await ctx.store.users.create(user({ profileId: p.id }));
    await ctx.store.clients.create(client({ profileId: p.id }));
    expect(await ctx.store.profiles.usage(p.id)).toBe(2);
  });

  test('delete removes the row once', async () => {
    const c = client();
    const k = consumer();
    const u = user();
    await ctx.store.clients.create(c);
    await ctx.store.consumers.create(k);
    await ctx.store.users.create(u);
    expect(await ctx.store.clients.delete(c.clientId)).toBe(true);
    expect(await ctx.store.clients.delete(c.clientId)).toBe(false);
    expect(await ctx.store.consumers.delete(k.key)).toBe(true);
    expect(await ctx.store.users.delete(u.id)).toBe(true);
    expect(await ctx.store.clients.findById(c.clientId)).toBeNull();
    expect(await ctx.store.consumers.findByKey(k.key)).toBeNull();
    expect(await ctx.store.users.findById(u.id)).toBeNull();
  });

  test('a client secret change keeps the previous hash with its end, or none', async () => {
    const c = client({ secretHash: 'old-hash' });
    await ctx.store.clients.create(c);
    await ctx.store.clients.setSecret(c.clientId, 'new-hash', { hash: 'old-hash', expiresAt: NOW + 60_000 });
    expect(await ctx.store.clients.findById(c.clientId)).toMatchObject({ secretHash: 'new-hash', previousSecretHash: 'old-hash', previousSecretExpiresAt: NOW + 60_000 });
    await ctx.store.clients.setSecret(c.clientId, 'newer-hash', null);
    expect(await ctx.store.clients.findById(c.clientId)).toMatchObject({ secretHash: 'newer-hash', previousSecretHash: null, previousSecretExpiresAt: null });
    const k = consumer();
    await ctx.store.consumers.create(k);
    expect(await ctx.store.consumers.setSecret(k.key, 'sealed-new')).toBe(true);
    expect((await ctx.store.consumers.findByKey(k.key))?.secretEnc).toBe('sealed-new');
  });

  test("consents are listed by user, oldest first", async () => {
    const u = user();
    await ctx.store.consents.grant(u.id, 'client-a', ['read'], NOW);
    await ctx.store.consents.grant(u.id, 'client-b', ['write'], NOW + 1);
    expect((await ctx.store.consents.listByUser(u.id)).map((c) => c.clientId)).toEqual(['client-a', 'client-b']);
  });

  test('the audit log pages newest first, with filters', async () => {
    const target = `t-${NOW}-${Math.random()}`;
    const seqs: number[] = [];
    for (const operation of ['createClient', 'updateClient', 'deleteClient']) {
      seqs.push(await ctx.store.auditLog.append({ at: NOW, actor: 'root', actorClient: 'cli', operation, targetKind: 'client', target, address: '127.0.0.1', outcome: 'success' }));
    }
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    const page = await ctx.store.auditLog.page({ target, limit: 2 });
    expect(page.map((e) => e.operation)).toEqual(['deleteClient', 'updateClient']);
    expect(page[0]).toEqual({ seq: seqs[2], at: NOW, actor: 'root', actorClient: 'cli', operation: 'deleteClient', targetKind: 'client', target, address: '127.0.0.1', outcome: 'success', source: 'api' });
    expect((await ctx.store.auditLog.page({ target, limit: 2, before: page[1].seq })).map((e) => e.operation)).toEqual(['createClient']);
    expect(await ctx.store.auditLog.page({ target, limit: 5, operation: 'updateClient' })).toHaveLength(1);
  });

  test('an audit entry keeps its source (api by default), and the page filters by it', async () => {
    const target = `s-${NOW}-${Math.random()}`;
    const entry = { at: NOW, actor: 'ops', actorClient: null, operation: 'disableUser', targetKind: 'user', target, address: null, outcome: 'success' };
    await ctx.store.auditLog.append(entry);
    await ctx.store.auditLog.append({ ...entry, source: 'cli' });
    await ctx.store.auditLog.append({ ...entry, source: 'console' });
    expect((await ctx.store.auditLog.page({ target, limit: 5 })).map((e) => e.source)).toEqual(['console', 'cli', 'api']);
    expect((await ctx.store.auditLog.page({ target, limit: 5, source: 'cli' })).map((e) => e.source)).toEqual(['cli']);
  });

  test("a client's and a consumer's live grants are listed across users", async () => {
    const c = client();
    await ctx.store.clients.create(c);
    const u = user();
    await ctx.store.users.create(u);
    expect(await ctx.store.userGrants.listParty({ clientId: c.clientId }, NOW, 10)).toEqual([]);
    await ctx.store.accessTokens.insert(accessToken({ clientId: c.clientId, userId: u.id, scope: 'read' }));
    await ctx.store.accessTokens.insert(accessToken({ clientId: c.clientId, userId: null, createdAt: NOW + 1 }));
    await ctx.store.accessTokens.insert(accessToken({ clientId: c.clientId, userId: u.id, revokedAt: NOW }));
    const listed = await ctx.store.userGrants.listParty({ clientId: c.clientId }, NOW, 10);
    expect(listed.map((g) => [g.kind, g.userId, g.scope])).toEqual([
      ['access_token', u.id, 'read'],
      ['access_token', null, expect.any(String)],
    ]);
    expect(await ctx.store.userGrants.listParty({ clientId: c.clientId }, NOW, 1)).toHaveLength(1);
    const k = consumer();
    await ctx.store.consumers.create(k);
    await ctx.store.oauth1Sessions.insert(session({ consumerKey: k.key, userId: u.id }));
    expect((await ctx.store.userGrants.listParty({ consumerKey: k.key }, NOW, 10)).map((g) => [g.kind, g.userId])).toEqual([['oauth1_session', u.id]]);
  });
}
