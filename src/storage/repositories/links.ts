import { ConsumerLink } from '../entities';
import type { Executor } from '../executor';
import type { ConsumerLinkRepository } from '../types';
import { plainRow, plainRows } from './plain';
import { affectedRows } from './sql';

export function consumerLinkRepository(exec: Executor): ConsumerLinkRepository {
  return {
    find: (consumerKey) => plainRow(exec.manager.findOneBy(ConsumerLink, { consumerKey })),
    list: () => plainRows(exec.manager.find(ConsumerLink, { order: { consumerKey: 'ASC' } })),
    // Delete then insert, in one unit: relinking replaces the earlier link on either database.
    link: (row) =>
      exec.unit(async (m) => {
        await m.delete(ConsumerLink, { consumerKey: row.consumerKey });
        await m.insert(ConsumerLink, { ...row });
      }),
    unlink: async (consumerKey) => affectedRows(await exec.write((m) => m.delete(ConsumerLink, { consumerKey }))) > 0,
  };
}
