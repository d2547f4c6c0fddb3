import type { Lockout } from './lockout';
import type { DirectoryUserStore } from './ldap/user-store';
import { checkInOrder, localUserStore } from './user-store';
import type { SecretHashing } from '../crypto';
import type { Store, UserRepository, UserRow } from '../storage/types';

/** What checking a password reads: the users by name, the bounded hashing, and the LDAP directory when configured. */
export interface PasswordCheck {
  store: { users: Pick<UserRepository, 'findByUsername'> };
  hashing: Pick<SecretHashing, 'verify' | 'verifyAgainstDummy'>;
  /** null or absent: local users only. */
  directory?: DirectoryUserStore | null;
}

/**
 * Checks a username and password against the user stores in the configured order (the first that
 * knows the name decides; user-store.ts). Unknown users, disabled users and wrong passwords all
 * answer null, so callers can't tell them apart (and must not try to); a name no store knows, and
 * a directory check, cost the same scrypt as a local check. The scrypt runs within the gateway's hashing bound:
 * HashingBusyError when it is full. A directory that cannot answer throws DirectoryUnavailableError.
 */
async function authenticateUser(deps: PasswordCheck, username: string, password: string): Promise<UserRow | null> {
  if (!username) {
    await deps.hashing.verifyAgainstDummy(password);
    return null;
  }
  const local = localUserStore(deps);
  const stores = !deps.directory ? [local] : deps.directory.first ? [deps.directory, local] : [local, deps.directory];
  const { answer, by } = await checkInOrder(stores, username, password);
  // One scrypt per check whoever answers, so the time an answer takes does not tell a directory
  // user from a local one or from a name nobody knows.
  if (by !== local) await deps.hashing.verifyAgainstDummy(password);
  return answer.known ? answer.user : null;
}

/**
 * authenticateUser as a counted attempt under the one lockout every password channel shares (login
 * page, password grant and ClearPass, xAuth). Throws LockedOutError when the username or the
 * address is locked; nothing is checked then.
 */
export function authenticateWithLockout(
  deps: PasswordCheck & { lockout: Pick<Lockout, 'attempt'> },
  username: string,
  password: string,
  address: string,
): Promise<UserRow | null> {
  return deps.lockout.attempt(username, address, () => authenticateUser(deps, username, password));
}

/** The privileges of a profile (ClearPass "operator profile"); none without a profile. */
export async function privilegesOf(store: Store, profileId: string | null): Promise<string[]> {
  if (!profileId) return [];
  const profile = await store.profiles.findById(profileId);
  return profile ? [...profile.privileges] : [];
}
