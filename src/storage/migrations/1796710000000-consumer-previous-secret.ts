import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// A grace period for a consumer's rotated secret (`consumer rotate-secret --grace`): the secret the
// rotation replaced, sealed like the current one, and when it stops being accepted. Existing
// consumers have none.

export class ConsumerPreviousSecret1796710000000 implements MigrationInterface {
  name = 'ConsumerPreviousSecret1796710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('consumers', [
      new TableColumn({ name: 'previousSecretEnc', type: 'text', isNullable: true }),
      new TableColumn({ name: 'previousSecretExpiresAt', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('consumers', 'previousSecretExpiresAt');
    await queryRunner.dropColumn('consumers', 'previousSecretEnc');
  }
}
