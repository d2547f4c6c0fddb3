import { IsNull, MoreThan } from 'typeorm';
import { DeviceCode } from '../entities';
import type { Executor } from '../executor';
import type { DeviceCodeRepository } from '../types';
import { plainRow } from './plain';
import { insertRow, updateWhere } from './sql';

export function deviceCodeRepository(exec: Executor): DeviceCodeRepository {
  const pending = (digest: string, now: number) => ({ digest, status: 'pending' as const, expiresAt: MoreThan(now) });
  return {
    insert: (code) => insertRow(exec, DeviceCode, code, 'device user code'),
    find: (digest) => plainRow(exec.manager.findOneBy(DeviceCode, { digest })),
    findByUserCode: (userCode) => plainRow(exec.manager.findOneBy(DeviceCode, { userCode })),
    approve: (digest, userId, now) => updateWhere(exec, DeviceCode, pending(digest, now), { status: 'approved', userId }),
    deny: (digest, now) => updateWhere(exec, DeviceCode, pending(digest, now), { status: 'denied' }),

    // Compare-and-set on the previous poll time, so of two polls at once one sees null (or the
    // older time) and the other sees the first one's time: "slow_down" can't be dodged by racing.
    async recordPoll(digest, now) {
      for (;;) {
        const code = await exec.manager.findOneBy(DeviceCode, { digest });
        if (!code) return null;
        const previous = code.lastPolledAt;
        const won = await updateWhere(
          exec,
          DeviceCode,
          { digest, lastPolledAt: previous === null ? IsNull() : previous },
          { lastPolledAt: now },
        );
        if (won) return previous;
      }
    },

    async setInterval(digest, interval) {
      await updateWhere(exec, DeviceCode, { digest }, { interval });
    },

    consume: (digest, now) =>
      updateWhere(
        exec,
        DeviceCode,
        { digest, status: 'approved', consumedAt: IsNull(), expiresAt: MoreThan(now) },
        { consumedAt: now },
      ),
  };
}
