import type { AccessTokenRow, OAuth1AccessTokenRow, OAuth1SessionRow, RefreshTokenRow } from './rows';

/**
 * The token tables every issuance writes a row to: inserted with raw, parameterised SQL through the
 * driver (prepared once per connection), never through the entity layer, and batched by the group
 * commit. The columns are the entities' (property name = column name), in one fixed order, so the
 * statement text, and with it the prepared statement, is the same for every row.
 */
export interface HotTable<R> {
  readonly table: string;
  readonly columns: ReadonlyArray<keyof R & string>;
  /** The primary key: what a multi-row INSERT ... RETURNING names to say which rows went in. */
  readonly key: keyof R & string;
  /** For DuplicateError. */
  readonly what: string;
}

export const ACCESS_TOKENS: HotTable<AccessTokenRow> = {
  table: 'oauth2_access_tokens',
  columns: ['digest', 'clientId', 'userId', 'scope', 'grantType', 'familyId', 'codeDigest', 'expiresAt', 'revokedAt', 'createdAt'],
  key: 'digest',
  what: 'access token',
};

export const REFRESH_TOKENS: HotTable<RefreshTokenRow> = {
  table: 'oauth2_refresh_tokens',
  columns: ['digest', 'familyId', 'clientId', 'userId', 'scope', 'expiresAt', 'rotatedAt', 'revokedAt', 'createdAt'],
  key: 'digest',
  what: 'refresh token',
};

export const OAUTH1_ACCESS_TOKENS: HotTable<OAuth1AccessTokenRow> = {
  table: 'oauth1_access_tokens',
  columns: ['digest', 'sessionDigest', 'consumerKey', 'userId', 'secretEnc', 'expiresAt', 'revokedAt', 'createdAt'],
  key: 'digest',
  what: 'access token',
};

export const OAUTH1_SESSIONS: HotTable<OAuth1SessionRow> = {
  table: 'oauth1_sessions',
  columns: ['handleDigest', 'consumerKey', 'userId', 'expiresAt', 'revokedAt', 'createdAt'],
  key: 'handleDigest',
  what: 'session handle',
};

/** A row's values in the table's column order. */
export function rowValues<R>(t: HotTable<R>, row: R): unknown[] {
  return t.columns.map((c) => row[c] ?? null);
}

const quoted = (t: HotTable<unknown>) => t.columns.map((c) => `"${c}"`).join(', ');

/** INSERT of `rows` rows (one by default) with `?` placeholders (SQLite). */
export function sqliteInsert(t: HotTable<unknown>, rows = 1): string {
  const tuple = `(${t.columns.map(() => '?').join(', ')})`;
  return `INSERT INTO "${t.table}" (${quoted(t)}) VALUES ${new Array<string>(rows).fill(tuple).join(', ')}`;
}

/**
 * INSERT of `rows` rows with $n placeholders (PostgreSQL). With `returning`, a row a unique
 * constraint refuses is skipped instead of failing the statement, and the keys of the rows that went
 * in come back: the rows of one batch succeed or fail each on their own.
 */
export function postgresInsert(t: HotTable<unknown>, rows: number, returning: boolean): string {
  const width = t.columns.length;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) tuples.push(`(${t.columns.map((_, c) => `$${r * width + c + 1}`).join(', ')})`);
  const tail = returning ? ` ON CONFLICT DO NOTHING RETURNING "${t.key}"` : '';
  return `INSERT INTO "${t.table}" (${quoted(t)}) VALUES ${tuples.join(', ')}${tail}`;
}
