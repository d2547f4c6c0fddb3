import type { ValueTransformer } from 'typeorm';

// Times are epoch milliseconds in a bigint column: one representation for SQLite and PostgreSQL.
// PostgreSQL hands bigint back as a string, hence the transformer.
const epoch: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

export const epochColumn = { type: 'bigint', transformer: epoch } as const;
export const nullableEpochColumn = { type: 'bigint', nullable: true, transformer: epoch } as const;
