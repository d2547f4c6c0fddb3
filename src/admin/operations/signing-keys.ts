import { z } from 'zod';
import { InvalidInputError } from '../../accounts/validation';
import { listKeys, retireKey, rotateKeys } from '../../oidc/keys-admin';
import type { Operation } from '../operation';
import { conflict, notFound } from '../problems';

// The OpenID provider's signing keys, as `keys list | rotate | retire` handles them (the same
// functions, so the same rules: rotation per algorithm, a retired key published until what it
// signed has expired). Only public facts leave: kid, algorithm, state, times; never a private key.

const alg = z.enum(['RS256', 'ES256']);

const keySchema = z
  .object({
    kid: z.string(),
    alg,
    state: z.enum(['next', 'active', 'retired']),
    created_at: z.string(),
    activated_at: z.string().nullable(),
    retired_at: z.string().nullable(),
    published_until: z.string().nullable().meta({ description: 'For a retired key: until when the JWKS still lists it.' }),
  })
  .meta({ title: 'SigningKey' });

const rotationSchema = z
  .object({
    promoted: z.array(z.string()).meta({ description: 'Keys that sign from now on (the published next keys).' }),
    retired: z.array(z.string()),
    made: z.array(z.string()).meta({ description: 'New next keys, published now.' }),
    dropped: z.array(z.string()).meta({ description: 'Retired keys nothing needs any more, deleted.' }),
  })
  .meta({ title: 'SigningKeyRotation' });

export const signingKeyOperations: Operation[] = [
  {
    id: 'listSigningKeys',
    method: 'GET',
    path: '/signing-keys',
    tag: 'signing keys',
    summary: 'The OpenID Connect signing keys: next (published), active (signing), retired (published until what it signed expires)',
    access: 'read',
    response: z.object({ items: z.array(keySchema) }),
    async handle({ admin }) {
      const keys = await listKeys(admin);
      return {
        body: {
          items: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, created_at: k.createdAt, activated_at: k.activatedAt, retired_at: k.retiredAt, published_until: k.publishedUntil })),
        },
      };
    },
  },
  {
    id: 'rotateSigningKeys',
    method: 'POST',
    path: '/signing-keys/rotate',
    tag: 'signing keys',
    summary: 'Per algorithm (both without alg): the next key starts signing, the active key retires, a new next key is published',
    access: 'write',
    body: z.strictObject({ alg: alg.optional() }),
    response: rotationSchema,
    audit: 'signing_key',
    async handle({ deps, admin, body }) {
      const result = await rotateKeys(admin, deps.config, body.alg);
      return { body: result, target: body.alg ?? 'all' };
    },
  },
  {
    id: 'retireSigningKey',
    method: 'POST',
    path: '/signing-keys/{kid}/retire',
    tag: 'signing keys',
    summary: 'The key signs nothing more (an active key hands over to the published next key); published until what it signed expires',
    access: 'write',
    params: z.object({ kid: z.string().min(1).max(128) }),
    response: z.object({ retired: z.string(), promoted: z.string().nullable() }).meta({ title: 'RetiredSigningKey' }),
    audit: 'signing_key',
    async handle({ deps, admin, params }) {
      if (!(await deps.store.signingKeys.list()).some((k) => k.kid === params.kid)) throw notFound('signing key');
      try {
        return { body: await retireKey(admin, deps.config, params.kid) };
      } catch (err) {
        // The key's state does not allow it (already retired, no next key to hand over to).
        if (err instanceof InvalidInputError) throw conflict(`${err.message[0].toUpperCase()}${err.message.slice(1)}.`);
        throw err;
      }
    },
  },
];
