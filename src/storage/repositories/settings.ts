import { Setting } from '../entities';
import type { Executor } from '../executor';
import type { SettingRepository } from '../types';
import { affectedRows } from './sql';

export function settingRepository(exec: Executor): SettingRepository {
  return {
    async get(name) {
      return (await exec.manager.findOneBy(Setting, { name }))?.value ?? null;
    },

    // INSERT OR IGNORE / ON CONFLICT DO NOTHING: of two processes storing the first value, one
    // wins and neither aborts an enclosing transaction. Read the value back to learn which.
    async putIfAbsent(name, value, now) {
      await exec.write((m) => m.createQueryBuilder().insert().into(Setting).values({ name, value, updatedAt: now }).orIgnore().execute());
    },

    async put(name, value, now) {
      await exec.unit(async (m) => {
        const updated = await m.update(Setting, { name }, { value, updatedAt: now });
        if (affectedRows(updated) === 0) await m.insert(Setting, { name, value, updatedAt: now });
      });
    },
  };
}
