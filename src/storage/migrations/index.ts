import { Initial1795300000000 } from './1795300000000-initial';

/** Every migration, oldest first. A new migration is appended here. */
export const migrations = [Initial1795300000000];
