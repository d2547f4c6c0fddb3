import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// consumers.callbackMatch: how a request's oauth_callback must match the registered callback
// ('prefix' or 'exact', see src/oauth1/callback.ts). Existing consumers get 'prefix', so one that
// was registered with a callback URL is held to its origin and path from now on.

export class ConsumerCallbackMatch1795420000000 implements MigrationInterface {
  name = 'ConsumerCallbackMatch1795420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'consumers',
      new TableColumn({ name: 'callbackMatch', type: 'varchar', length: '8', isNullable: false, default: "'prefix'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('consumers', 'callbackMatch');
  }
}
