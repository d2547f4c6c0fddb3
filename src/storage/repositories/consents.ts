import { randomUUID } from 'node:crypto';
import { Consent } from '../entities';
import type { Executor } from '../executor';
import type { ConsentRepository } from '../types';
import { plainRow, plainRows } from './plain';
import { affectedRows } from './sql';

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function consentRepository(exec: Executor): ConsentRepository {
  const find = (userId: string, clientId: string) => plainRow(exec.manager.findOneBy(Consent, { userId, clientId }));

  return {
    find,

    // Compare-and-set, so concurrent grants (two tabs consenting at once) both end up in the row on
    // either database without a transaction: insert-if-absent, then update only if the scopes are
    // still the ones we read; otherwise read again. An INSERT that loses the race does nothing
    // (ON CONFLICT DO NOTHING / INSERT OR IGNORE) instead of aborting an enclosing transaction.
    async grant(userId, clientId, scopes, now) {
      for (;;) {
        const existing = await find(userId, clientId);
        if (!existing) {
          const row = { id: randomUUID(), userId, clientId, scopes: union([], scopes), updatedAt: now };
          await exec.write((m) => m.createQueryBuilder().insert().into(Consent).values(row).orIgnore().execute());
          continue;
        }
        const merged = union(existing.scopes, scopes);
        if (sameList(merged, existing.scopes)) return;
        // simple-json stores JSON.stringify of the array, so this is the text we read.
        const result = await exec.write((m) =>
          m
            .createQueryBuilder()
            .update(Consent)
            .set({ scopes: merged, updatedAt: now })
            .where('id = :id AND scopes = :previous', { id: existing.id, previous: JSON.stringify(existing.scopes) })
            .execute(),
        );
        if (affectedRows(result) > 0) return;
      }
    },

    listByUser: (userId) => plainRows(exec.manager.find(Consent, { where: { userId }, order: { updatedAt: 'ASC' } })),

    async revoke(userId, clientId) {
      await exec.write((m) => m.delete(Consent, { userId, clientId }));
    },
  };
}
