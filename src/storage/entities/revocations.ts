import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { epochColumn } from '../columns';
import type { RevocationLogEntryRow } from '../rows';

/**
 * The revocation log: one row each time an account's credentials were all taken back (a user's
 * password changed or the user disabled, a client or consumer disabled). Every gateway node reads
 * it in sequence order, about once a second, so credentials it verified and keeps in memory stop
 * working there too, whichever process (the CLI, another node) wrote the row. Kept for a day.
 */
@Entity('revocation_log')
export class RevocationLogEntry implements RevocationLogEntryRow {
  // Appends are serialized (see the repository), so sequence order is commit order. SQLite's
  // AUTOINCREMENT needs an INTEGER key (64 bits there; PostgreSQL's serial is 32 bits, two billion
  // account revocations).
  @PrimaryGeneratedColumn('increment') seq: number;
  /** user | client | consumer */
  @Column('varchar', { length: 16 }) kind: string;
  /** The user id, client_id or consumer key. */
  @Column('varchar', { length: 64 }) subject: string;
  /** Why, for an operator reading the table: disabled | password_changed. */
  @Column('varchar', { length: 32 }) reason: string;
  @Index() @Column(epochColumn) at: number;
}
