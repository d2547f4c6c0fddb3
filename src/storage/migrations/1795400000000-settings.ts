import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

// The settings table: named values the gateway keeps for itself. The first is the sealed value that
// tells at start whether the configured secret key opens the stored secrets.

const settings = () =>
  new Table({
    name: 'settings',
    columns: [
      { name: 'name', type: 'varchar', length: '64', isPrimary: true },
      { name: 'value', type: 'text' },
      { name: 'updatedAt', type: 'bigint' },
    ],
  });

export class Settings1795400000000 implements MigrationInterface {
  name = 'Settings1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(settings(), false, false, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('settings', false, false, true);
  }
}
