import type { GatewayConfig } from '../../config';
import type { Clock } from '../../clock';
import type { Logger } from '../../http/logger';
import type { Store } from '../../storage/types';
import { LdapDirectory } from './directory';
import { ldapUserStore, type DirectoryUserStore } from './user-store';

export { DirectoryBusyError, DirectoryUnavailableError } from './errors';
export type { DirectoryUserStore } from './user-store';

/**
 * The LDAP user store of the configuration, or null without an `ldap` section. Reads the bind
 * password file (if any) now, so a missing file stops the start rather than the first login.
 */
export function configuredDirectory(config: GatewayConfig, deps: { store: Store; clock: Clock; logger: Logger }): DirectoryUserStore | null {
  const ldap = config.ldap;
  if (!ldap) return null;
  const directory = new LdapDirectory({ config: ldap, logger: deps.logger, clock: deps.clock });
  return ldapUserStore(directory, { ...deps, mapping: ldap }, ldap.order[0] === 'ldap');
}
