import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochColumn } from '../columns';
import type { ConsumerLinkRow } from '../rows';

/** The migration bridge's links: which OAuth 2.0 client an OAuth 1.0a consumer's tokens are exchanged for. */
@Entity('oauth1_consumer_links')
export class ConsumerLink implements ConsumerLinkRow {
  @PrimaryColumn('varchar', { length: 64 }) consumerKey: string;
  @Index() @Column('varchar', { length: 64 }) clientId: string;
  @Column(epochColumn) createdAt: number;
}
