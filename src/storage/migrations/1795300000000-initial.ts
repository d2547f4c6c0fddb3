import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Written with the portable Table API so this one class builds the same schema on SQLite and
// PostgreSQL. A migration is frozen once released: later changes go in a new migration, and the
// schema-diff test keeps entities and migrations in agreement.
// Index names are TypeORM's default names for the entities' @Index declarations, so the entity
// metadata and the database agree without naming every index in the entities.

const varchar = (name: string, length: number, isNullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const primary = (name: string): TableColumnOptions => ({ ...varchar(name, 64), isPrimary: true });
const text = (name: string): TableColumnOptions => ({ name, type: 'text' });
// TypeORM's simple-json is a text column holding JSON.
const json = text;
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
const integer = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable });
// Epoch milliseconds.
const epoch = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable });
const index = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

const tables = (): Table[] => [
  new Table({
    name: 'profiles',
    columns: [primary('id'), varchar('name', 128), json('privileges'), epoch('createdAt')],
    indices: [index('IDX_4e9da7cade0e9edd393329bb32', ['name'], true)],
  }),
  new Table({
    name: 'users',
    columns: [
      primary('id'), varchar('username', 255), varchar('usernameKey', 255), varchar('passwordHash', 255),
      varchar('profileId', 64, true), bool('enabled'), epoch('createdAt'),
    ],
    indices: [index('IDX_fddaf46b524fa6c88ac581ce8c', ['usernameKey'], true)],
  }),
  new Table({
    name: 'consumers',
    columns: [
      primary('key'), varchar('name', 128), text('secretEnc'), varchar('callbackUrl', 2048, true), bool('xauth'),
      varchar('profileId', 64, true), integer('accessTtl', true), bool('enabled'), epoch('createdAt'),
    ],
  }),
  new Table({
    name: 'clients',
    columns: [
      primary('clientId'), varchar('name', 128), varchar('secretHash', 255, true), json('redirectUris'), json('grants'),
      json('scopes'), bool('refresh'), bool('implicit'), bool('allowPlainPkce'), integer('accessTtl', true),
      integer('refreshTtl', true), integer('codeTtl', true), varchar('profileId', 64, true), bool('enabled'),
      epoch('createdAt'),
    ],
  }),
  new Table({
    name: 'consents',
    columns: [primary('id'), varchar('userId', 64), varchar('clientId', 64), json('scopes'), epoch('updatedAt')],
    indices: [index('IDX_1864cf3cc2829d1aaba5f8f7f6', ['userId', 'clientId'], true)],
  }),
  new Table({
    name: 'oauth1_request_tokens',
    columns: [
      primary('digest'), varchar('consumerKey', 64), text('secretEnc'), varchar('callback', 2048),
      varchar('verifierDigest', 64, true), varchar('userId', 64, true), epoch('authorizedAt', true),
      epoch('deniedAt', true), epoch('usedAt', true), epoch('expiresAt'), epoch('createdAt'),
    ],
    indices: [
      index('IDX_1c878fa51d2f06112a7b1796b1', ['consumerKey']),
      index('IDX_738aad4496ec07ac9c6626b167', ['expiresAt']),
    ],
  }),
  new Table({
    name: 'oauth1_sessions',
    columns: [
      primary('handleDigest'), varchar('consumerKey', 64), varchar('userId', 64), epoch('expiresAt'),
      epoch('revokedAt', true), epoch('createdAt'),
    ],
    indices: [
      index('IDX_28a039a00cd512cd25a6fc8fae', ['consumerKey']),
      index('IDX_06222ca0fb989fdd8baa74ac95', ['userId']),
      index('IDX_a7ec2698cd339e73ebbcfa6851', ['expiresAt']),
    ],
  }),
  new Table({
    name: 'oauth1_access_tokens',
    columns: [
      primary('digest'), varchar('sessionDigest', 64), varchar('consumerKey', 64), varchar('userId', 64),
      text('secretEnc'), epoch('expiresAt'), epoch('revokedAt', true), epoch('createdAt'),
    ],
    indices: [
      index('IDX_a07794237a990d113d0d14dabf', ['sessionDigest']),
      index('IDX_604cc7d519220711c73d5c0a03', ['expiresAt']),
    ],
  }),
  new Table({
    name: 'authorization_codes',
    columns: [
      primary('digest'), varchar('clientId', 64), varchar('userId', 64), varchar('redirectUri', 2048),
      varchar('scope', 1024), varchar('codeChallenge', 128, true), varchar('codeChallengeMethod', 8, true),
      epoch('expiresAt'), epoch('consumedAt', true), epoch('createdAt'),
    ],
    indices: [index('IDX_b17253f72f042d332021f8da1b', ['expiresAt'])],
  }),
  new Table({
    name: 'oauth2_access_tokens',
    columns: [
      primary('digest'), varchar('clientId', 64), varchar('userId', 64, true), varchar('scope', 1024),
      varchar('grantType', 64), varchar('familyId', 64, true), varchar('codeDigest', 64, true), epoch('expiresAt'),
      epoch('revokedAt', true), epoch('createdAt'),
    ],
    indices: [
      index('IDX_740630582403369a809a2c294c', ['clientId']),
      index('IDX_a673e2ea6e1b1ac54afc47d091', ['familyId']),
      index('IDX_d9e8763aacd2b4c80862abd615', ['codeDigest']),
      index('IDX_35cb70f687e3eabd7b8b3068fe', ['expiresAt']),
    ],
  }),
  new Table({
    name: 'oauth2_refresh_tokens',
    columns: [
      primary('digest'), varchar('familyId', 64), varchar('clientId', 64), varchar('userId', 64, true),
      varchar('scope', 1024), epoch('expiresAt'), epoch('rotatedAt', true), epoch('revokedAt', true),
      epoch('createdAt'),
    ],
    indices: [
      index('IDX_7a24d244c5cbddceb11f78967d', ['familyId']),
      index('IDX_762d47d0c77560b6892f98eb64', ['expiresAt']),
    ],
  }),
  new Table({
    name: 'device_codes',
    columns: [
      primary('digest'), varchar('userCode', 16), varchar('clientId', 64), varchar('scope', 1024),
      varchar('status', 16), varchar('userId', 64, true), integer('interval'), epoch('lastPolledAt', true),
      epoch('expiresAt'), epoch('consumedAt', true), epoch('createdAt'),
    ],
    indices: [
      index('IDX_03d6ca4793b986f0a6e0a50ee9', ['userCode'], true),
      index('IDX_23e339d5736c13d942a20a5963', ['expiresAt']),
    ],
  }),
];

export class Initial1795300000000 implements MigrationInterface {
  name = 'Initial1795300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables()) await queryRunner.createTable(table, false, false, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables().reverse()) await queryRunner.dropTable(table.name, false, false, true);
  }
}
