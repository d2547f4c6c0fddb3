import type { SecretHashing } from '../crypto';
import type { UserRepository, UserRow } from '../storage/types';

/**
 * A place users and their passwords live: the local users table, or an LDAP directory
 * (accounts/ldap/user-store.ts). A store either does not know the name (the next store is asked),
 * or knows it and decides: the user, or null for a wrong password or a user who may not sign in.
 * A store that cannot answer throws (an outage: 503, never "wrong password").
 */
export type StoreAnswer = { readonly known: false } | { readonly known: true; readonly user: UserRow | null };

export interface UserStore {
  check(username: string, password: string): Promise<StoreAnswer>;
}

/** Where the local users are checked; users provisioned from LDAP have no local password and are not known here. */
export function localUserStore(deps: {
  store: { users: Pick<UserRepository, 'findByUsername'> };
  hashing: Pick<SecretHashing, 'verify'>;
}): UserStore {
  return {
    async check(username, password) {
      const user = await deps.store.users.findByUsername(username);
      if (!user || user.source !== 'local') return { known: false };
      const ok = await deps.hashing.verify(password, user.passwordHash);
      return { known: true, user: ok && user.enabled ? user : null };
    },
  };
}

/** Ask the stores in order; the first that knows the name decides (`by`: that store, or null). */
export async function checkInOrder(
  stores: readonly UserStore[],
  username: string,
  password: string,
): Promise<{ answer: StoreAnswer; by: UserStore | null }> {
  for (const store of stores) {
    const answer = await store.check(username, password);
    if (answer.known) return { answer, by: store };
  }
  return { answer: { known: false }, by: null };
}
