import type { AdminContext } from './admin';
import { InvalidInputError } from './validation';

// Enabling gives nothing back: what disabling revoked stays revoked (accounts/admin.ts disables).

export async function enableClient(ctx: Pick<AdminContext, 'store'>, clientId: string): Promise<void> {
  if (!(await ctx.store.clients.setEnabled(clientId, true))) throw new InvalidInputError(`unknown client "${clientId}"`);
}

export async function enableConsumer(ctx: Pick<AdminContext, 'store'>, key: string): Promise<void> {
  if (!(await ctx.store.consumers.setEnabled(key, true))) throw new InvalidInputError(`unknown consumer "${key}"`);
}
