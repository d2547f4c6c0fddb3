import { setTimeout as delay } from 'node:timers/promises';
import { DuplicateError } from '../../src/storage';
import { NOW, authorizationCode, id, profile, useStore, user, type StoreTarget } from './storage.contract-fixtures';

export function consentsContract(target: StoreTarget): void {
  const ctx = useStore(target);

  test('find returns null before any grant', async () => {
    expect(await ctx.store.consents.find(id(), 'c1')).toBeNull();
  });

  test('a first grant stores the scopes sorted', async () => {
    const userId = id();
    await ctx.store.consents.grant(userId, 'c1', ['write', 'read'], NOW);
    expect(await ctx.store.consents.find(userId, 'c1')).toMatchObject({ userId, clientId: 'c1', scopes: ['read', 'write'], updatedAt: NOW });
  });

  test('a later grant adds to what was granted, without duplicates', async () => {
    const userId = id();
    await ctx.store.consents.grant(userId, 'c1', ['read'], NOW);
    await ctx.store.consents.grant(userId, 'c1', ['write', 'read', 'admin'], NOW + 1);
    expect(await ctx.store.consents.find(userId, 'c1')).toMatchObject({ scopes: ['admin', 'read', 'write'], updatedAt: NOW + 1 });
  });

  test('grants for another client are separate', async () => {
    const userId = id();
    await ctx.store.consents.grant(userId, 'c1', ['read'], NOW);
    await ctx.store.consents.grant(userId, 'c2', ['write'], NOW);
    expect((await ctx.store.consents.find(userId, 'c1'))?.scopes).toEqual(['read']);
  });

  test('10 concurrent grants of different scopes all end up granted', async () => {
    const userId = id();
    await Promise.all(Array.from({ length: 10 }, (_, i) => ctx.store.consents.grant(userId, 'c1', [`s${i}`], NOW)));
    const expected = Array.from({ length: 10 }, (_, i) => `s${i}`).sort();
    expect((await ctx.store.consents.find(userId, 'c1'))?.scopes).toEqual(expected);
  });

  test('revoke forgets the consent', async () => {
    const userId = id();
    await ctx.store.consents.grant(userId, 'c1', ['read'], NOW);
    await ctx.store.consents.revoke(userId, 'c1');
    expect(await ctx.store.consents.find(userId, 'c1')).toBeNull();
  });
}

export function transactionContract(target: StoreTarget): void {
  const ctx = useStore(target);

  test('a transaction commits all its writes and returns its result', async () => {
    const p = profile();
    const u = user({ profileId: p.id });
    const result = await ctx.store.transaction(async (tx) => {
      await tx.profiles.create(p);
      await tx.users.create(u);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await ctx.store.profiles.findById(p.id)).not.toBeNull();
    expect(await ctx.store.users.findById(u.id)).not.toBeNull();
  });

  test('a transaction sees its own writes', async () => {
    const p = profile();
    const seen = await ctx.store.transaction(async (tx) => {
      await tx.profiles.create(p);
      return tx.profiles.findByName(p.name);
    });
    expect(seen?.id).toBe(p.id);
  });

  test('a throw inside a transaction rolls back every write and reaches the caller', async () => {
    const p = profile();
    const code = authorizationCode();
    await ctx.store.authorizationCodes.insert(code);
    const failure = ctx.store.transaction(async (tx) => {
      await tx.profiles.create(p);
      await tx.authorizationCodes.consume(code.digest, NOW);
      throw new Error('boom');
    });
    await expect(failure).rejects.toThrow('boom');
    expect(await ctx.store.profiles.findById(p.id)).toBeNull();
    expect((await ctx.store.authorizationCodes.find(code.digest))?.consumedAt).toBeNull();
  });

  test('a DuplicateError inside a transaction rolls it back and the store keeps working', async () => {
    const taken = profile();
    await ctx.store.profiles.create(taken);
    const first = profile();
    const failure = ctx.store.transaction(async (tx) => {
      await tx.profiles.create(first);
      await tx.profiles.create(profile({ name: taken.name }));
    });
    await expect(failure).rejects.toBeInstanceOf(DuplicateError);
    expect(await ctx.store.profiles.findById(first.id)).toBeNull();
    const after = profile();
    await ctx.store.profiles.create(after);
    expect(await ctx.store.profiles.findById(after.id)).not.toBeNull();
  });

  test('a plain write issued while another transaction rolls back is kept', async () => {
    const p = profile();
    const u = user();
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    // Wrapped, or resolving with the write's promise would adopt it and wait for the write.
    let issued!: (plain: { write: Promise<void> }) => void;
    const plain = new Promise<{ write: Promise<void> }>((resolve) => (issued = resolve));
    const rolledBack = ctx.store.transaction(async (tx) => {
      await tx.profiles.create(p);
      opened();
      // On SQLite's single connection an unqueued write would land inside this open transaction:
      // give it every chance to before rolling back.
      await Promise.race([(await plain).write, delay(50)]);
      throw new Error('rollback');
    });
    await open;
    // Issued from outside the transaction, as another request would.
    const write = ctx.store.users.create(u);
    issued({ write });
    await expect(rolledBack).rejects.toThrow('rollback');
    await write;
    expect(await ctx.store.users.findById(u.id)).not.toBeNull();
    expect(await ctx.store.profiles.findById(p.id)).toBeNull();
  });

  test('writing through the store itself inside a transaction fails instead of hanging', async () => {
    const failure = ctx.store.transaction(() => ctx.store.profiles.create(profile()));
    await expect(failure).rejects.toThrow(/inside transaction/);
  });

  test('a transaction inside a transaction fails instead of hanging', async () => {
    const failure = ctx.store.transaction(() => ctx.store.transaction(async () => 1));
    await expect(failure).rejects.toThrow(/inside a transaction/);
  });

  test('50 concurrent transactions beside 50 plain writes all succeed', async () => {
    const userId = id();
    const profiles = Array.from({ length: 50 }, () => profile());
    const users = Array.from({ length: 50 }, () => user());
    const outcomes = await Promise.allSettled([
      ...profiles.map((p, i) =>
        ctx.store.transaction(async (tx) => {
          await tx.profiles.create(p);
          // Read-modify-write inside the transaction: every grant must survive.
          await tx.consents.grant(userId, 'c1', [`s${i}`], NOW);
          return tx.profiles.findById(p.id);
        }),
      ),
      ...users.map((u) => ctx.store.users.create(u)),
    ]);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const names = new Set((await ctx.store.profiles.list()).map((p) => p.id));
    expect(profiles.every((p) => names.has(p.id))).toBe(true);
    const ids = new Set((await ctx.store.users.list()).map((u) => u.id));
    expect(users.every((u) => ids.has(u.id))).toBe(true);
    expect((await ctx.store.consents.find(userId, 'c1'))?.scopes).toHaveLength(50);
  });
}
