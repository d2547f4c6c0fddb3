import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

// clients.requirePar (RFC 9126 section 6: require_pushed_authorization_requests per client): when
// true, /oauth2/authorize takes this client's requests only through a request_uri from
// /oauth2/par. Existing clients keep authorizing as before.

export class ClientRequirePar1796500000000 implements MigrationInterface {
  name = 'ClientRequirePar1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The default is SQL text, spelled as each database reads back the entity's `default: false`.
    const no = queryRunner.connection.driver.options.type === 'postgres' ? 'false' : '0';
    await queryRunner.addColumn('clients', new TableColumn({ name: 'requirePar', type: 'boolean', isNullable: false, default: no }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('clients', 'requirePar');
  }
}
