import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// Taking back an account's credentials everywhere (user passwd and disable, client and consumer
// disable): the revocation log every node follows, the users' credential version that ends
// browser sign-ins, and indexes to find a user's tokens without scanning the token tables.
// Index names are TypeORM's defaults for the entities' @Index declarations.

const revocationLog = () =>
  new Table({
    name: 'revocation_log',
    columns: [
      { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      { name: 'kind', type: 'varchar', length: '16' },
      { name: 'subject', type: 'varchar', length: '64' },
      { name: 'reason', type: 'varchar', length: '32' },
      { name: 'at', type: 'bigint' },
    ],
    indices: [new TableIndex({ name: 'IDX_09b18b86fa0564c8b44c96ffcb', columnNames: ['at'] })],
  });

const userIndexes: ReadonlyArray<[table: string, name: string]> = [
  ['oauth2_access_tokens', 'IDX_0a7a4df63377fdd27343aa2458'],
  ['oauth2_refresh_tokens', 'IDX_ac93a5a4951ba16f573729800a'],
  ['oauth1_access_tokens', 'IDX_1e339d1cac808a32e3461562d1'],
];

export class RevocationLog1795410000000 implements MigrationInterface {
  name = 'RevocationLog1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(revocationLog(), false, false, true);
    await queryRunner.addColumn('users', new TableColumn({ name: 'credentialVersion', type: 'integer', default: 0 }));
    for (const [table, name] of userIndexes) await queryRunner.createIndex(table, new TableIndex({ name, columnNames: ['userId'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, name] of [...userIndexes].reverse()) await queryRunner.dropIndex(table, name);
    await queryRunner.dropColumn('users', 'credentialVersion');
    await queryRunner.dropTable('revocation_log', false, false, true);
  }
}
