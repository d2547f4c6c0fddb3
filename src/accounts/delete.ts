import type { AdminContext } from './admin';
import { changeAndRevoke } from './revoke';
import { InvalidInputError } from './validation';

// Deleting an account first takes back everything it was given, on every node, in the same commit
// as the delete (the revocation log entry names it): a token of a deleted client must not outlive
// the client in some node's cache. The token rows stay, revoked, until the sweep removes them.

export class UnknownAccountError extends InvalidInputError {}
/** The account is still referred to (a profile some user, client or consumer names). */
export class AccountInUseError extends InvalidInputError {}

export async function deleteUser(ctx: AdminContext, username: string): Promise<void> {
  await changeAndRevoke(ctx, 'deleted', async (tx) => {
    const user = await tx.users.findByUsername(username);
    if (!user || !(await tx.users.delete(user.id))) throw new UnknownAccountError(`unknown user "${username}"`);
    return { kind: 'user', id: user.id };
  });
}

export async function deleteClient(ctx: AdminContext, clientId: string): Promise<void> {
  await changeAndRevoke(ctx, 'deleted', async (tx) => {
    if (!(await tx.clients.delete(clientId))) throw new UnknownAccountError(`unknown client "${clientId}"`);
    return { kind: 'client', id: clientId };
  });
}

export async function deleteConsumer(ctx: AdminContext, key: string): Promise<void> {
  await changeAndRevoke(ctx, 'deleted', async (tx) => {
    if (!(await tx.consumers.delete(key))) throw new UnknownAccountError(`unknown consumer "${key}"`);
    // A link of the migration bridge to a consumer that is gone would never be used again.
    await tx.consumerLinks.unlink(key);
    return { kind: 'consumer', id: key };
  });
}

/** A profile still named by a user, client or consumer is kept: deleting it would silently take their privileges. */
export async function deleteProfile(ctx: Pick<AdminContext, 'store'>, name: string): Promise<void> {
  const profile = await ctx.store.profiles.findByName(name);
  if (!profile) throw new UnknownAccountError(`unknown profile "${name}"`);
  const users = await ctx.store.profiles.usage(profile.id);
  if (users > 0) throw new AccountInUseError(`profile "${name}" is still in use (${users} users, clients or consumers)`);
  await ctx.store.profiles.delete(profile.id);
}
