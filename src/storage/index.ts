export { openStore, openStoreMigrating, type StoreOptions } from './typeorm-store';
export { createDataSource, sqliteFile, type DatabaseOptions } from './data-source';
export { runMigrations } from './migrate';
export { usernameKey } from './repositories';
export { DuplicateError } from './types';
export type * from './types';
