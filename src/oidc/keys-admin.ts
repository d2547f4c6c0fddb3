import type { AdminContext } from '../accounts/admin';
import { InvalidInputError } from '../accounts/validation';
import type { GatewayConfig } from '../config';
import type { ClientRow, SigningKeyAlg } from '../storage/types';
import { KeyRefusal, SIGNING_ALGS, SigningKeys } from './keys';
import { publishedUntil } from './key-states';

/**
 * The longest any token a key signs may live (seconds): ID tokens, and access tokens of clients
 * with JWT access tokens (each may have its own lifetime). A retired key is published this long.
 */
export function maxSignedLifetime(config: Pick<GatewayConfig, 'lifetimes'>, clients: readonly Pick<ClientRow, 'accessTokenFormat' | 'accessTtl'>[]): number {
  const jwtClients = clients.filter((c) => c.accessTokenFormat === 'jwt');
  return Math.max(config.lifetimes.idToken, ...(jwtClients.length > 0 ? [config.lifetimes.accessToken] : []), ...jwtClients.map((c) => c.accessTtl ?? 0));
}

export function parseAlgs(alg: string | undefined): SigningKeyAlg[] {
  if (alg === undefined) return [...SIGNING_ALGS];
  if (!(SIGNING_ALGS as readonly string[]).includes(alg)) throw new InvalidInputError(`--alg must be one of ${SIGNING_ALGS.join(', ')}`);
  return [alg as SigningKeyAlg];
}

const keysOf = (ctx: AdminContext) => new SigningKeys({ store: ctx.store, secrets: ctx.secrets, clock: ctx.clock });

export async function listKeys(ctx: AdminContext) {
  const keys = keysOf(ctx);
  await keys.ensure();
  return (await keys.list()).map((k) => {
    const until = publishedUntil(k);
    return {
      kid: k.kid,
      alg: k.alg,
      state: k.state,
      createdAt: new Date(k.createdAt).toISOString(),
      activatedAt: k.activatedAt === null ? null : new Date(k.activatedAt).toISOString(),
      retiredAt: k.retiredAt === null ? null : new Date(k.retiredAt).toISOString(),
      publishedUntil: until === null ? null : new Date(until).toISOString(),
    };
  });
}

export async function rotateKeys(ctx: AdminContext, config: GatewayConfig, alg: string | undefined) {
  const algs = parseAlgs(alg);
  const keys = keysOf(ctx);
  await keys.ensure();
  return keys.rotate(algs, maxSignedLifetime(config, await ctx.store.clients.list()));
}

export async function retireKey(ctx: AdminContext, config: GatewayConfig, kid: string) {
  const keys = keysOf(ctx);
  try {
    return await keys.retire(kid, maxSignedLifetime(config, await ctx.store.clients.list()));
  } catch (err) {
    if (err instanceof KeyRefusal) throw new InvalidInputError(err.message);
    throw err;
  }
}
