import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// The admin API (issue 18): the audit log of every change made through it, a version on each
// account row that PATCH's If-Match compares and sets in one UPDATE (two operators editing the same
// client cannot both win), and a client's previous secret with the end of its grace period after
// a rotation. Existing rows start at version 0 with no previous secret.

const auditLog = () =>
  new Table({
    name: 'audit_log',
    columns: [
      { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
      { name: 'at', type: 'bigint' },
      { name: 'actor', type: 'varchar', length: '255' },
      { name: 'actorClient', type: 'varchar', length: '64', isNullable: true },
      { name: 'operation', type: 'varchar', length: '64' },
      { name: 'targetKind', type: 'varchar', length: '32' },
      { name: 'target', type: 'varchar', length: '255' },
      { name: 'address', type: 'varchar', length: '64', isNullable: true },
      { name: 'outcome', type: 'varchar', length: '16' },
    ],
  });

const versioned = ['profiles', 'users', 'consumers', 'clients'];

export class AdminApi1796600000000 implements MigrationInterface {
  name = 'AdminApi1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(auditLog(), false, false, true);
    for (const table of versioned) await queryRunner.addColumn(table, new TableColumn({ name: 'version', type: 'integer', default: 0 }));
    await queryRunner.addColumns('clients', [
      new TableColumn({ name: 'previousSecretHash', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'previousSecretExpiresAt', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('clients', 'previousSecretExpiresAt');
    await queryRunner.dropColumn('clients', 'previousSecretHash');
    for (const table of [...versioned].reverse()) await queryRunner.dropColumn(table, 'version');
    await queryRunner.dropTable('audit_log', false, false, true);
  }
}
