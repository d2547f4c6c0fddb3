import type { RevocationLogEntryRow, RevocationLogRepository } from '../../src/storage/types';

/** The revocation log's reading side over an array, for unit tests of what follows it. */
export class MemoryRevocationLog implements Pick<RevocationLogRepository, 'after' | 'last'> {
  readonly entries: RevocationLogEntryRow[] = [];
  /** When set, reads fail with this error (a database outage). */
  failWith: Error | null = null;
  reads = 0;

  append(kind: string, subject: string, at = 0): number {
    const seq = this.entries.length + 1;
    this.entries.push({ seq, kind, subject, reason: 'disabled', at });
    return seq;
  }

  async after(seq: number, limit: number): Promise<RevocationLogEntryRow[]> {
    this.reads += 1;
    if (this.failWith) throw this.failWith;
    return this.entries.filter((e) => e.seq > seq).slice(0, limit);
  }

  async last(): Promise<number> {
    if (this.failWith) throw this.failWith;
    return this.entries.length;
  }
}
