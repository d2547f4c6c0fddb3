import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// The migration bridge (RFC 8693 token exchange of OAuth 1.0a access tokens): which OAuth 2.0
// client each linked consumer's tokens are exchanged for. A table of its own rather than a column
// of consumers: a link is an operator's decision made long after the consumer, and it goes away
// again once the consumer has moved. Index name: TypeORM's default for the entity's @Index.

const consumerLinks = () =>
  new Table({
    name: 'oauth1_consumer_links',
    columns: [
      { name: 'consumerKey', type: 'varchar', length: '64', isPrimary: true },
      { name: 'clientId', type: 'varchar', length: '64' },
      { name: 'createdAt', type: 'bigint' },
    ],
    indices: [new TableIndex({ name: 'IDX_842204a8f4e70ddac7c16e7bb9', columnNames: ['clientId'] })],
  });

export class ConsumerLinks1796300000000 implements MigrationInterface {
  name = 'ConsumerLinks1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(consumerLinks(), false, false, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oauth1_consumer_links', false, false, true);
  }
}
