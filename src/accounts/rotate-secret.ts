import { hashSecret, randomToken } from '../crypto';
import type { AdminContext } from './admin';
import { changeAndRevoke, wakeNodes } from './revoke';
import { UnknownAccountError } from './delete';
import { InvalidInputError } from './validation';

/** The longest grace period a rotated client secret may have: long enough to roll out a deployment, short enough to matter. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * A new secret for a confidential OAuth 2.0 client, returned once; only its hash is stored. With a
 * grace period the old secret keeps authenticating until it ends (oauth2/client-auth.ts), so the
 * client's deployments can be moved over; without one the old secret stops at once. Tokens already
 * issued stay valid either way: rotating a secret is not a revocation.
 */
function gracePeriod(options: { graceSeconds?: number }): number {
  const grace = options.graceSeconds ?? 0;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    throw new InvalidInputError(`the grace period must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}`);
  }
  return grace;
}

export async function rotateClientSecret(ctx: AdminContext, clientId: string, options: { graceSeconds?: number } = {}): Promise<{ secret: string; previousValidUntil: number | null }> {
  const grace = gracePeriod(options);
  const client = await ctx.store.clients.findById(clientId);
  if (!client) throw new UnknownAccountError(`unknown client "${clientId}"`);
  if (client.secretHash === null) throw new InvalidInputError(`client "${clientId}" is a public client: it has no secret`);
  const secret = randomToken(32);
  const previousValidUntil = grace > 0 ? ctx.clock() + grace * 1000 : null;
  const previous = previousValidUntil === null ? null : { hash: client.secretHash, expiresAt: previousValidUntil };
  if (!(await ctx.store.clients.setSecret(clientId, await hashSecret(secret), previous))) throw new UnknownAccountError(`unknown client "${clientId}"`);
  return { secret, previousValidUntil };
}

/**
 * A new secret for an OAuth 1.0a consumer, returned once; only its sealed form is stored. A secret
 * is rotated because it may have leaked, and with the token secrets it would still sign for the
 * consumer's tokens: so they end with the old secret.
 *
 * Without a grace period both end at once: the revocation log entry makes every node drop its
 * cached row of the consumer (else the old secret would verify there for up to
 * database.clientCacheSeconds) and the consumer's tokens and sessions are revoked.
 *
 * With one, the old secret keeps verifying signatures until it ends (oauth1/consumer-secrets.ts),
 * and so do the tokens, sessions and request tokens the consumer holds now: their end is brought
 * forward to the end of the grace period, so the consumer's deployments can move over without its
 * users signing in again until then. A log entry (which revokes nothing) still makes every node read
 * the consumer again and verify its cached tokens anew, so none is served past that end. Tokens
 * issued during the grace period keep their own lifetime: past it only the new secret signs for them.
 */
export async function rotateConsumerSecret(ctx: AdminContext, key: string, options: { graceSeconds?: number } = {}): Promise<{ secret: string; previousValidUntil: number | null }> {
  const grace = gracePeriod(options);
  const secret = randomToken(32);
  const sealed = ctx.secrets.seal(secret);
  if (grace === 0) {
    await changeAndRevoke(ctx, 'secret_rotated', async (tx) => {
      if (!(await tx.consumers.setSecret(key, sealed))) throw new UnknownAccountError(`unknown consumer "${key}"`);
      return { kind: 'consumer', id: key };
    });
    return { secret, previousValidUntil: null };
  }
  const now = ctx.clock();
  const previousValidUntil = now + grace * 1000;
  const seq = await ctx.store.transaction(async (tx) => {
    const consumer = await tx.consumers.findByKey(key);
    if (!consumer || !(await tx.consumers.setSecret(key, sealed, { secretEnc: consumer.secretEnc, expiresAt: previousValidUntil }))) {
      throw new UnknownAccountError(`unknown consumer "${key}"`);
    }
    await tx.grants.endConsumerAt(key, previousValidUntil);
    return tx.revocationLog.append({ kind: 'consumer', subject: key, reason: 'secret_rotated', at: now });
  });
  await wakeNodes(ctx.cache, seq);
  return { secret, previousValidUntil };
}
