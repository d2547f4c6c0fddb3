import type { ConsumerLinkRow } from '../storage/types';
import type { AdminContext } from './admin';
import { TOKEN_EXCHANGE_GRANT_NAME as TOKEN_EXCHANGE_GRANT } from '../oauth2/token-exchange/types';
import { InvalidInputError } from './validation';

/**
 * Links an OAuth 1.0a consumer to the OAuth 2.0 client its access tokens may be exchanged for (the
 * migration bridge), replacing an earlier link. The client must be registered for token_exchange:
 * the link says which client, the registration that the client takes part in exchanges at all.
 */
export async function linkConsumer(ctx: Pick<AdminContext, 'store' | 'clock'>, key: string, clientId: string | undefined): Promise<ConsumerLinkRow> {
  if (clientId === undefined || clientId === '') throw new InvalidInputError('--client is required');
  if (!(await ctx.store.consumers.findByKey(key))) throw new InvalidInputError(`unknown consumer "${key}"`);
  const client = await ctx.store.clients.findById(clientId);
  if (!client) throw new InvalidInputError(`unknown client "${clientId}"`);
  if (!client.grants.includes(TOKEN_EXCHANGE_GRANT)) {
    throw new InvalidInputError(`client "${clientId}" is not registered for the ${TOKEN_EXCHANGE_GRANT} grant (client add --grants ...,${TOKEN_EXCHANGE_GRANT})`);
  }
  const link: ConsumerLinkRow = { consumerKey: key, clientId, createdAt: ctx.clock() };
  await ctx.store.consumerLinks.link(link);
  return link;
}

/** Ends the link: the consumer's tokens can no longer be exchanged (tokens already exchanged stay). */
export async function unlinkConsumer(ctx: Pick<AdminContext, 'store'>, key: string): Promise<void> {
  if (!(await ctx.store.consumerLinks.unlink(key))) throw new InvalidInputError(`consumer "${key}" is not linked`);
}
