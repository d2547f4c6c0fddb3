import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import type { Logger } from '../../http/logger';
import { DuplicateError, type ProfileRepository, type UserRepository, type UserRow } from '../../storage/types';
import type { DirectoryEntry } from './directory';
import { profileForGroups, type ProfileMapping } from './profiles';

export interface ProvisionDeps {
  store: { users: Pick<UserRepository, 'findByUsername' | 'create' | 'updateFromDirectory'>; profiles: Pick<ProfileRepository, 'findByName'> };
  clock: Clock;
  logger: Logger;
  mapping: ProfileMapping;
}

/**
 * The local row of a user the directory just accepted: created at the first login (source 'ldap',
 * no local password: an empty hash, which no password verifies), its profile, display name and
 * email refreshed from the directory at every login. Returns null when the user may not sign in:
 * the name belongs to a local user (a directory entry never takes over a local account), or an
 * operator disabled the provisioned user.
 */
export async function provisionDirectoryUser(deps: ProvisionDeps, username: string, entry: DirectoryEntry): Promise<UserRow | null> {
  const profileId = await profileIdOf(deps, profileForGroups(entry.groups, deps.mapping));
  const fields = { profileId, displayName: entry.displayName, email: entry.email };

  let user = await deps.store.users.findByUsername(username);
  if (!user) {
    const created: UserRow = {
      id: randomUUID(),
      username,
      usernameKey: username,
      passwordHash: '',
      enabled: true,
      credentialVersion: 0,
      createdAt: deps.clock(),
      source: 'ldap',
      ...fields,
    };
    try {
      await deps.store.users.create(created);
      deps.logger.info({ userId: created.id }, 'ldap: user provisioned at first sign-in');
      return created;
    } catch (err) {
      // Two first logins at once: the other one created the row.
      if (!(err instanceof DuplicateError)) throw err;
      user = await deps.store.users.findByUsername(username);
      if (!user) throw err;
    }
  }
  if (user.source !== 'ldap') {
    deps.logger.warn({ userId: user.id }, 'ldap: the directory accepted a name that belongs to a local user; sign-in refused');
    return null;
  }
  if (!user.enabled) return null;
  await deps.store.users.updateFromDirectory(user.id, fields);
  return { ...user, ...fields };
}

async function profileIdOf(deps: ProvisionDeps, name: string | null): Promise<string | null> {
  if (name === null) return null;
  const profile = await deps.store.profiles.findByName(name);
  if (!profile) deps.logger.warn({ profile: name }, 'ldap: the mapped profile does not exist; the user gets no profile');
  return profile?.id ?? null;
}
