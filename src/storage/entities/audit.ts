import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochColumn } from '../columns';
import type { AuditEntryRow, AuditSource } from '../rows';

/**
 * The admin audit log: one row per change made through the admin API, the console or an admin CLI command.
 * Pages are read newest first by sequence number (the cursor), so no index beyond the key is needed.
 */
@Entity('audit_log')
export class AuditEntry implements AuditEntryRow {
  @PrimaryGeneratedColumn('increment') seq: number;
  @Column(epochColumn) at: number;
  @Column('varchar', { length: 255 }) actor: string;
  @Column('varchar', { length: 64, nullable: true }) actorClient: string | null;
  @Column('varchar', { length: 64 }) operation: string;
  @Column('varchar', { length: 32 }) targetKind: string;
  @Column('varchar', { length: 255 }) target: string;
  @Column('varchar', { length: 64, nullable: true }) address: string | null;
  @Column('varchar', { length: 16 }) outcome: string;
  @Column('varchar', { length: 16, default: 'api' }) source: AuditSource;
}
