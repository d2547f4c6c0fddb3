import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// OpenID Connect: the provider's signing keys (private keys sealed with the secret key, one table so
// every node signs and publishes the same keys); users.updatedAt for the profile claims; per client
// the ID token algorithm, the access token format (RFC 9068) and the post-logout redirect URIs; and
// on authorization codes the nonce and auth_time the ID token repeats. Existing rows keep opaque
// tokens and RS256 (nulls and the default).

const signingKeys = () =>
  new Table({
    name: 'signing_keys',
    columns: [
      { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
      { name: 'alg', type: 'varchar', length: '8' },
      { name: 'state', type: 'varchar', length: '8' },
      { name: 'secretEnc', type: 'text' },
      { name: 'publicJwk', type: 'text' },
      { name: 'createdAt', type: 'bigint' },
      { name: 'activatedAt', type: 'bigint', isNullable: true },
      { name: 'retiredAt', type: 'bigint', isNullable: true },
      { name: 'maxTokenLifetime', type: 'integer', isNullable: true },
    ],
  });

export class OpenIdConnect1796400000000 implements MigrationInterface {
  name = 'OpenIdConnect1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(signingKeys(), false, false, true);
    await queryRunner.addColumns('users', [new TableColumn({ name: 'updatedAt', type: 'bigint', isNullable: true })]);
    await queryRunner.addColumns('clients', [
      new TableColumn({ name: 'idTokenAlg', type: 'varchar', length: '8', isNullable: true }),
      new TableColumn({ name: 'accessTokenFormat', type: 'varchar', length: '8', isNullable: false, default: "'opaque'" }),
      new TableColumn({ name: 'postLogoutRedirectUris', type: 'text', isNullable: true }),
    ]);
    await queryRunner.addColumns('authorization_codes', [
      new TableColumn({ name: 'nonce', type: 'varchar', length: '512', isNullable: true }),
      new TableColumn({ name: 'authTime', type: 'bigint', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('authorization_codes', ['nonce', 'authTime']);
    await queryRunner.dropColumns('clients', ['idTokenAlg', 'accessTokenFormat', 'postLogoutRedirectUris']);
    await queryRunner.dropColumns('users', ['updatedAt']);
    await queryRunner.dropTable('signing_keys', false, false, true);
  }
}
