import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// The audit log records where a change came from (`api`, `console`, `cli`), so an operator can
// read one channel's changes apart. Entries written before came from the admin API (its token's
// client is always set) or the console (no client): that tells them apart.

export class AuditSource1796700000000 implements MigrationInterface {
  name = 'AuditSource1796700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('audit_log', new TableColumn({ name: 'source', type: 'varchar', length: '16', default: "'api'" }));
    await queryRunner.query(`UPDATE "audit_log" SET "source" = 'console' WHERE "actorClient" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('audit_log', 'source');
  }
}
