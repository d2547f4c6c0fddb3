import { SigningKey } from '../entities';
import type { Executor } from '../executor';
import type { SigningKeyRepository } from '../types';
import { insertRow, updateWhere } from './sql';
import { plainRows } from './plain';

export function signingKeyRepository(exec: Executor): SigningKeyRepository {
  return {
    list: () => plainRows(exec.manager.find(SigningKey, { order: { createdAt: 'ASC', kid: 'ASC' } })),
    insert: (row) => insertRow(exec, SigningKey, row, `signing key "${row.kid}"`),
    update: (kid, fields) => updateWhere(exec, SigningKey, { kid }, fields),
    remove: async (kid) => {
      await exec.write((m) => m.delete(SigningKey, { kid }));
    },
  };
}
