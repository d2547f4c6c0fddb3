import { NOW, consumer, oauth1AccessToken, requestToken, useStore, type StoreTarget } from './storage.contract-fixtures';

/** Settings (the secret-key check lives there) and the sealed secrets that key rotation re-seals. */
export function secretsContract(target: StoreTarget): void {
  describe('settings', () => {
    const ctx = useStore(target);

    test('an unknown name has no value', async () => {
      expect(await ctx.store.settings.get('nothing-here')).toBeNull();
    });

    test('putIfAbsent stores the first value only', async () => {
      await ctx.store.settings.putIfAbsent('first', 'one', NOW);
      await ctx.store.settings.putIfAbsent('first', 'two', NOW + 1);
      expect(await ctx.store.settings.get('first')).toBe('one');
    });

    test('of concurrent putIfAbsent calls one value wins, and no call fails', async () => {
      const values = Array.from({ length: 8 }, (_, i) => `v${i}`);
      await Promise.all(values.map((v) => ctx.store.settings.putIfAbsent('race', v, NOW)));
      expect(values).toContain(await ctx.store.settings.get('race'));
    });

    test('put replaces the value, inside a transaction too', async () => {
      await ctx.store.settings.put('replaced', 'one', NOW);
      await ctx.store.transaction((tx) => tx.settings.put('replaced', 'two', NOW + 1));
      expect(await ctx.store.settings.get('replaced')).toBe('two');
    });
  });

  // Each of these counts every sealed value in the database: each has a database of its own.
  describe('sealed secrets in an empty database', () => {
    const ctx = useStore(target);

    test('sample finds nothing', async () => {
      expect(await ctx.store.sealedSecrets.sample()).toBeNull();
    });
  });

  describe('re-sealing every secret', () => {
    const ctx = useStore(target);

    test('resealAll replaces every consumer, request token and access token secret, past one batch', async () => {
      const consumers = [consumer({ secretEnc: 'old:c1' }), consumer({ secretEnc: 'old:c2' })];
      const requests = [requestToken({ secretEnc: 'old:r1' })];
      const tokens = Array.from({ length: 520 }, (_, i) => oauth1AccessToken({ secretEnc: `old:t${i}` }));
      await ctx.store.transaction(async (tx) => {
        for (const c of consumers) await tx.consumers.create(c);
        for (const r of requests) await tx.requestTokens.insert(r);
        for (const t of tokens) await tx.oauth1AccessTokens.insert(t);
      });
      expect(await ctx.store.sealedSecrets.sample()).toMatch(/^old:/);

      const count = await ctx.store.transaction((tx) => tx.sealedSecrets.resealAll((sealed) => sealed.replace(/^old:/, 'new:')));
      expect(count).toBe(523);
      for (const c of consumers) expect((await ctx.store.consumers.findByKey(c.key))?.secretEnc).toBe(c.secretEnc.replace('old:', 'new:'));
      expect((await ctx.store.requestTokens.find(requests[0].digest))?.secretEnc).toBe('new:r1');
      expect((await ctx.store.oauth1AccessTokens.find(tokens[519].digest))?.secretEnc).toBe('new:t519');
    });

  });

  // A database of its own as well: the test above counts and samples every sealed value.
  describe("re-sealing a consumer's previous secret", () => {
    const ctx = useStore(target);

    test("a consumer's previous secret (a rotation's grace period) is re-sealed too; an absent one stays absent", async () => {
      const rotated = consumer({ secretEnc: 'old:now' });
      const plain = consumer({ secretEnc: 'old:only' });
      await ctx.store.consumers.create(rotated);
      await ctx.store.consumers.create(plain);
      await ctx.store.consumers.setSecret(rotated.key, 'old:now2', { secretEnc: 'old:before', expiresAt: 1_900_000_000_000 });
      await ctx.store.transaction((tx) => tx.sealedSecrets.resealAll((sealed) => sealed.replace(/^old:/, 'new:')));
      expect(await ctx.store.consumers.findByKey(rotated.key)).toMatchObject({ secretEnc: 'new:now2', previousSecretEnc: 'new:before', previousSecretExpiresAt: 1_900_000_000_000 });
      expect(await ctx.store.consumers.findByKey(plain.key)).toMatchObject({ secretEnc: 'new:only', previousSecretEnc: null, previousSecretExpiresAt: null });
    });
  });

  describe('a re-sealing that fails', () => {
    const ctx = useStore(target);

    test('a reseal that throws inside a transaction changes nothing', async () => {
      const c = consumer({ secretEnc: 'keep:c' });
      const t = oauth1AccessToken({ secretEnc: 'keep:t' });
      await ctx.store.consumers.create(c);
      await ctx.store.oauth1AccessTokens.insert(t);
      const failing = ctx.store.transaction((tx) =>
        tx.sealedSecrets.resealAll((sealed) => {
          if (sealed === 'keep:t') throw new Error('does not open');
          return 'changed';
        }),
      );
      await expect(failing).rejects.toThrow('does not open');
      expect((await ctx.store.consumers.findByKey(c.key))?.secretEnc).toBe('keep:c');
      expect((await ctx.store.oauth1AccessTokens.find(t.digest))?.secretEnc).toBe('keep:t');
    });
  });
}
