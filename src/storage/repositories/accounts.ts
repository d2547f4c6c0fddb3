import { In } from 'typeorm';
import { Client, Consumer, Profile, User } from '../entities';
import { affectedRows } from './sql';
import { batchedLookup } from './batched-lookup';
import type { Executor } from '../executor';
import type { ClientRepository, ConsumerRepository, ProfileRepository, UserRepository } from '../types';
import { plainRow, plainRows } from './plain';
import { insertRow, updateWhere } from './sql';

/** The key that makes usernames unique without regard to case (or to Unicode compatibility forms). */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

export function profileRepository(exec: Executor): ProfileRepository {
  return {
    create: (profile) => insertRow(exec, Profile, profile, `profile "${profile.name}"`),
    findById: (id) => plainRow(exec.manager.findOneBy(Profile, { id })),
    findByName: (name) => plainRow(exec.manager.findOneBy(Profile, { name })),
    list: () => plainRows(exec.manager.find(Profile, { order: { name: 'ASC' } })),
    update: (id, version, changes) => updateWhere(exec, Profile, { id, version }, { ...changes, version: version + 1 }),
    delete: async (id) => affectedRows(await exec.write((m) => m.delete(Profile, { id }))) > 0,
    async usage(id) {
      const [users, clients, consumers] = await Promise.all([
        exec.manager.countBy(User, { profileId: id }),
        exec.manager.countBy(Client, { profileId: id }),
        exec.manager.countBy(Consumer, { profileId: id }),
      ]);
      return users + clients + consumers;
    },
  };
}

export function userRepository(exec: Executor): UserRepository {
  return {
    // The key is always derived here, whatever the caller put in it, so lookups can rely on it.
    create: (user) =>
      insertRow(
        exec,
        User,
        { source: 'local', displayName: null, email: null, ...user, usernameKey: usernameKey(user.username) },
        `user "${user.username}"`,
      ),
    findById: (id) => plainRow(exec.manager.findOneBy(User, { id })),
    findByUsername: (username) => plainRow(exec.manager.findOneBy(User, { usernameKey: usernameKey(username) })),
    list: () => plainRows(exec.manager.find(User, { order: { usernameKey: 'ASC' } })),
    setEnabled: (username, enabled) => updateWhere(exec, User, { usernameKey: usernameKey(username) }, { enabled }),
    setPasswordHash: (username, passwordHash) =>
      updateWhere(exec, User, { usernameKey: usernameKey(username) }, { passwordHash }),
    updateFromDirectory: (id, { profileId, displayName, email }) => updateWhere(exec, User, { id }, { profileId, displayName, email }),
    update: (id, version, changes) => updateWhere(exec, User, { id, version }, { ...changes, version: version + 1 }),
    delete: async (id) => affectedRows(await exec.write((m) => m.delete(User, { id }))) > 0,
    setProfileFields: (username, { displayName, email, updatedAt }) =>
      updateWhere(exec, User, { usernameKey: usernameKey(username) }, { displayName, email, updatedAt }),
  };
}

export function consumerRepository(exec: Executor): ConsumerRepository {
  return {
    create: (consumer) => insertRow(exec, Consumer, consumer, 'consumer key'),
    findByKey: (key) => plainRow(exec.manager.findOneBy(Consumer, { key })),
    list: () => plainRows(exec.manager.find(Consumer, { order: { name: 'ASC', key: 'ASC' } })),
    setEnabled: (key, enabled) => updateWhere(exec, Consumer, { key }, { enabled }),
    setCallback: (key, callbackUrl, callbackMatch) => updateWhere(exec, Consumer, { key }, { callbackUrl, callbackMatch }),
    update: (key, version, changes) => updateWhere(exec, Consumer, { key, version }, { ...changes, version: version + 1 }),
    setSecret: (key, secretEnc, previous = null) =>
      updateWhere(exec, Consumer, { key }, { secretEnc, previousSecretEnc: previous?.secretEnc ?? null, previousSecretExpiresAt: previous?.expiresAt ?? null }),
    delete: async (key) => affectedRows(await exec.write((m) => m.delete(Consumer, { key }))) > 0,
  };
}

export function clientRepository(exec: Executor): ClientRepository {
  // Every token request reads its client: the reads of one turn share one query.
  const findById = batchedLookup(
    (clientIds) => exec.manager.findBy(Client, { clientId: In(clientIds) }),
    (client) => client.clientId,
  );
  return {
    create: (client) => insertRow(exec, Client, client, `client "${client.clientId}"`),
    findById,
    list: () => plainRows(exec.manager.find(Client, { order: { name: 'ASC', clientId: 'ASC' } })),
    setEnabled: (clientId, enabled) => updateWhere(exec, Client, { clientId }, { enabled }),
    update: (clientId, version, changes) =>
      updateWhere(exec, Client, { clientId, version }, { ...(changes as Partial<Client>), version: version + 1 }),
    setSecret: (clientId, secretHash, previous) =>
      updateWhere(exec, Client, { clientId }, { secretHash, previousSecretHash: previous?.hash ?? null, previousSecretExpiresAt: previous?.expiresAt ?? null }),
    delete: async (clientId) => affectedRows(await exec.write((m) => m.delete(Client, { clientId }))) > 0,
    setOidcFields: (clientId, fields) => updateWhere(exec, Client, { clientId }, { ...fields }),
  };
}
