import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochColumn } from '../columns';
import type { SettingRow } from '../rows';

/** A named value the gateway keeps for itself, such as the sealed value that checks the secret key. */
@Entity('settings')
export class Setting implements SettingRow {
  @PrimaryColumn('varchar', { length: 64 }) name: string;
  @Column('text') value: string;
  @Column(epochColumn) updatedAt: number;
}
