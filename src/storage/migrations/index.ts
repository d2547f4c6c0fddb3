import { Initial1795300000000 } from './1795300000000-initial';
import { Settings1795400000000 } from './1795400000000-settings';
import { RevocationLog1795410000000 } from './1795410000000-revocation-log';
import { ConsumerCallbackMatch1795420000000 } from './1795420000000-consumer-callback-match';

/** Every migration, oldest first. A new migration is appended here. */
export const migrations = [Initial1795300000000, Settings1795400000000, RevocationLog1795410000000, ConsumerCallbackMatch1795420000000];
