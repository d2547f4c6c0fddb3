import { MoreThan, type EntityManager, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { Consumer, OAuth1AccessToken, RequestToken, SigningKey } from '../entities';
import type { Executor } from '../executor';
import type { SealedSecretRepository } from '../types';

// Every column that holds a value sealed with the secret key (OAuth 1.0a consumer and token
// secrets, which HMAC-SHA1 needs back; the OpenID provider's private signing keys), by its table's primary key.
const sealedColumns: ReadonlyArray<{ target: EntityTarget<ObjectLiteral>; key: string; columns: readonly string[] }> = [
  // A consumer's previous secret too: it is accepted during its rotation's grace period.
  { target: Consumer, key: 'key', columns: ['secretEnc', 'previousSecretEnc'] },
  { target: RequestToken, key: 'digest', columns: ['secretEnc'] },
  { target: OAuth1AccessToken, key: 'digest', columns: ['secretEnc'] },
  { target: SigningKey, key: 'kid', columns: ['secretEnc'] },
];

const batchSize = 500;

/** Re-seals one table's secrets in key order, a batch at a time (a token table may be large); an empty column is left empty. */
async function resealTable(m: EntityManager, target: EntityTarget<ObjectLiteral>, key: string, columns: readonly string[], reseal: (sealed: string) => string): Promise<number> {
  let after = '';
  let count = 0;
  for (;;) {
    const rows = await m.getRepository(target).find({
      select: Object.fromEntries([key, ...columns].map((c) => [c, true])),
      where: { [key]: MoreThan(after) } as FindOptionsWhere<ObjectLiteral>,
      order: { [key]: 'ASC' },
      take: batchSize,
    });
    for (const row of rows) {
      const resealed = Object.fromEntries(columns.filter((c) => typeof row[c] === 'string').map((c) => [c, reseal(row[c] as string)]));
      await m.update(target, { [key]: row[key] }, resealed);
      count += Object.keys(resealed).length;
    }
    if (rows.length < batchSize) return count;
    after = rows[rows.length - 1][key] as string;
  }
}

export function sealedSecretRepository(exec: Executor): SealedSecretRepository {
  return {
    async sample() {
      for (const { target } of sealedColumns) {
        const [row] = await exec.manager.getRepository(target).find({ select: { secretEnc: true }, take: 1 });
        if (row) return row.secretEnc as string;
      }
      return null;
    },

    resealAll: (reseal) =>
      exec.unit(async (m) => {
        let count = 0;
        for (const { target, key, columns } of sealedColumns) count += await resealTable(m, target, key, columns, reseal);
        return count;
      }),
  };
}
