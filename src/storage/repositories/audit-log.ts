import { LessThan, type FindOptionsWhere } from 'typeorm';
import { AuditEntry } from '../entities';
import type { Executor } from '../executor';
import type { AuditLogRepository } from '../types';

// PostgreSQL's serial comes back as a string through some drivers' paths: one number type outside.
const toEntry = (row: AuditEntry): AuditEntry => ({ ...row, seq: Number(row.seq) });

export function auditLogRepository(exec: Executor): AuditLogRepository {
  return {
    append: async (entry) => {
      const result = await exec.write((m) => m.insert(AuditEntry, { ...entry }));
      return Number((result.identifiers[0] as { seq: number | string }).seq);
    },

    async page({ before, limit, operation, actor, targetKind, target, source }) {
      const where: FindOptionsWhere<AuditEntry> = {};
      if (before !== undefined) where.seq = LessThan(before);
      if (operation !== undefined) where.operation = operation;
      if (actor !== undefined) where.actor = actor;
      if (targetKind !== undefined) where.targetKind = targetKind;
      if (target !== undefined) where.target = target;
      if (source !== undefined) where.source = source;
      return (await exec.manager.find(AuditEntry, { where, order: { seq: 'DESC' }, take: limit })).map(toEntry);
    },
  };
}
