import type { Store } from '../storage/types';
import type { User } from '../storage/entities';
import { verifyAgainstDummy, verifySecret } from '../crypto';

/**
 * Checks a username and password. Unknown users, disabled users and wrong passwords all answer null
 * after the same amount of work, so callers can't tell them apart (and must not try to).
 */
export async function authenticateUser(store: Store, username: string, password: string): Promise<User | null> {
  const user = username ? await store.users.findByUsername(username) : null;
  if (!user) {
    await verifyAgainstDummy(password);
    return null;
  }
  const ok = await verifySecret(password, user.passwordHash);
  return ok && user.enabled ? user : null;
}

/** The privileges of a profile (ClearPass "operator profile"); none without a profile. */
export async function privilegesOf(store: Store, profileId: string | null): Promise<string[]> {
  if (!profileId) return [];
  const profile = await store.profiles.findById(profileId);
  return profile ? profile.privileges : [];
}
