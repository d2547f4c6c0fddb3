export { openStore, openStoreMigrating, type StoreOptions } from './typeorm-store';
export { createDataSource, destroyDataSource, sqliteFile, DEFAULT_DATABASE_TIMEOUTS, type DatabaseOptions, type DatabaseTimeouts } from './data-source';
export { runMigrations } from './migrate';
export { usernameKey } from './repositories';
export { DuplicateError } from './types';
export type * from './types';
