import { MoreThan } from 'typeorm';
import { RevocationLogEntry } from '../entities';
import type { Executor } from '../executor';
import type { RevocationLogRepository } from '../types';

const toEntry = (row: RevocationLogEntry): RevocationLogEntry => ({ ...row, seq: Number(row.seq) });

export function revocationLogRepository(exec: Executor): RevocationLogRepository {
  return {
    // Readers take "everything after the last sequence number I saw", so a row must never become
    // visible after a row with a higher number. PostgreSQL hands out serial numbers before commit
    // (two appends could commit in the other order): the table lock, held to the end of the
    // transaction, makes appends take turns; readers do not wait for it. SQLite writers already
    // take turns on the database lock.
    append: (entry) =>
      exec.unit(async (m) => {
        if (exec.kind === 'postgres') await m.query('LOCK TABLE "revocation_log" IN EXCLUSIVE MODE');
        const result = await m.insert(RevocationLogEntry, { ...entry });
        return Number((result.identifiers[0] as { seq: number | string }).seq);
      }),

    after: async (seq, limit) =>
      (await exec.manager.find(RevocationLogEntry, { where: { seq: MoreThan(seq) }, order: { seq: 'ASC' }, take: limit })).map(toEntry),

    async last() {
      const row = await exec.manager.createQueryBuilder(RevocationLogEntry, 'r').select('MAX(r.seq)', 'last').getRawOne<{ last: number | string | null }>();
      return row?.last == null ? 0 : Number(row.last);
    },
  };
}
