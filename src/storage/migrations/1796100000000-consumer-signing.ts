import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// What issue 17 adds to a consumer: its RSA public key for RSA-SHA1 (RFC 5849 section 3.4.3), the
// signature methods it may use (null: the gateway's list) and whether it may name a user with
// xoauth_requestor_id on two-legged requests. Existing consumers keep signing as before: no key,
// the gateway's list, no requestor.

export class ConsumerSigning1796100000000 implements MigrationInterface {
  name = 'ConsumerSigning1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The default is SQL text, and each database spells (and reads back) false its own way: as the
    // entity's `default: false` is read, or the schema-diff test would see a change.
    const no = queryRunner.connection.driver.options.type === 'postgres' ? 'false' : '0';
    await queryRunner.addColumns('consumers', [
      new TableColumn({ name: 'rsaPublicKey', type: 'text', isNullable: true }),
      // TypeORM's simple-json is a text column holding JSON.
      new TableColumn({ name: 'signatureMethods', type: 'text', isNullable: true }),
      new TableColumn({ name: 'requestor', type: 'boolean', isNullable: false, default: no }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('consumers', 'requestor');
    await queryRunner.dropColumn('consumers', 'signatureMethods');
    await queryRunner.dropColumn('consumers', 'rsaPublicKey');
  }
}
