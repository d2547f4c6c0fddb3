import type { Lockout } from './lockout';
import type { SecretHashing } from '../crypto';
import type { Store, UserRepository, UserRow } from '../storage/types';

/** What checking a password reads: the users by name, and the bounded hashing. */
export interface PasswordCheck {
  store: { users: Pick<UserRepository, 'findByUsername'> };
  hashing: Pick<SecretHashing, 'verify' | 'verifyAgainstDummy'>;
}

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords all answer null
 * after the same amount of work, so callers can't tell them apart (and must not try to). The scrypt
 * runs within the gateway's hashing bound: HashingBusyError when it is full.
 */
async function authenticateUser(deps: PasswordCheck, username: string, password: string): Promise<UserRow | null> {
  const user = username ? await deps.store.users.findByUsername(username) : null;
  if (!user) {
    await deps.hashing.verifyAgainstDummy(password);
    return null;
  }
  const ok = await deps.hashing.verify(password, user.passwordHash);
  return ok && user.enabled ? user : null;
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
