import { Initial1795300000000 } from './1795300000000-initial';
import { ConsumerCallbackMatch1795400000000 } from './1795400000000-consumer-callback-match';

/** Every migration, oldest first. A new migration is appended here. */
export const migrations = [Initial1795300000000, ConsumerCallbackMatch1795400000000];
