import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// users.source: 'local' (the password hash is checked) or 'ldap' (provisioned at a first LDAP
// login, the directory checks the password; see src/accounts/ldap/). Existing users are local.
// displayName and email: copied from the directory at each LDAP login.

export class UserSource1796200000000 implements MigrationInterface {
  name = 'UserSource1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'source', type: 'varchar', length: '8', isNullable: false, default: "'local'" }),
      new TableColumn({ name: 'displayName', type: 'varchar', length: '255', isNullable: true }),
      new TableColumn({ name: 'email', type: 'varchar', length: '320', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('users', ['source', 'displayName', 'email']);
  }
}
