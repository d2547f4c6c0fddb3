import type { UserStore } from '../user-store';
import type { LdapDirectory } from './directory';
import { provisionDirectoryUser, type ProvisionDeps } from './provision';

/** The LDAP directory as a user store, and where it stands in the order (config `ldap.order`). */
export interface DirectoryUserStore extends UserStore {
  /** Asked before the local users (`order: ["ldap","local"]`). */
  readonly first: boolean;
}

export function ldapUserStore(directory: Pick<LdapDirectory, 'verify'>, deps: ProvisionDeps, first: boolean): DirectoryUserStore {
  return {
    first,
    async check(username, password) {
      const verdict = await directory.verify(username, password);
      if (!verdict.found) return { known: false };
      if (!verdict.entry) return { known: true, user: null };
      return { known: true, user: await provisionDirectoryUser(deps, username, verdict.entry) };
    },
  };
}
