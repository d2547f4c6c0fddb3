import { Initial1795300000000 } from './1795300000000-initial';
import { Settings1795400000000 } from './1795400000000-settings';
import { RevocationLog1795410000000 } from './1795410000000-revocation-log';
import { ConsumerCallbackMatch1795420000000 } from './1795420000000-consumer-callback-match';
import { ConsumerSigning1796100000000 } from './1796100000000-consumer-signing';
import { UserSource1796200000000 } from './1796200000000-user-source';
import { ConsumerLinks1796300000000 } from './1796300000000-consumer-links';
import { OpenIdConnect1796400000000 } from './1796400000000-openid-connect';
import { ClientRequirePar1796500000000 } from './1796500000000-client-require-par';
import { AdminApi1796600000000 } from './1796600000000-admin-api';
import { AuditSource1796700000000 } from './1796700000000-audit-source';
import { ConsumerPreviousSecret1796710000000 } from './1796710000000-consumer-previous-secret';

/** Every migration, oldest first. A new migration is appended here. */
export const migrations = [
  Initial1795300000000,
  Settings1795400000000,
  RevocationLog1795410000000,
  ConsumerCallbackMatch1795420000000,
  ConsumerSigning1796100000000,
  UserSource1796200000000,
  ConsumerLinks1796300000000,
  OpenIdConnect1796400000000,
  ClientRequirePar1796500000000,
  AdminApi1796600000000,
  AuditSource1796700000000,
  ConsumerPreviousSecret1796710000000,
];
