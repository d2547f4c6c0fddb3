import { z } from 'zod';
import { addConsumer, disableConsumer } from '../../accounts/admin';
import { deleteConsumer } from '../../accounts/delete';
import { enableConsumer } from '../../accounts/enable';
import { MAX_GRACE_SECONDS, rotateConsumerSecret } from '../../accounts/rotate-secret';
import { parseCallback, parseCallbackMatch } from '../../accounts/validation';
import type { ConsumerChanges, ConsumerRow, Store } from '../../storage/types';
import { etagOf, ifMatchAdmits } from '../etag';
import { asProblems } from '../input-errors';
import type { Operation } from '../operation';
import { pageOf, pageQuery, paginate } from '../pagination';
import { invalidInput, notFound, preconditionFailed } from '../problems';
import { consumerSchema, consumerView, profileNames } from '../views';

const byKey = z.object({ key: z.string().min(1).max(64) });
const ttl = z.number().int().positive();

async function findConsumer(store: Store, key: string): Promise<ConsumerRow> {
  const consumer = await store.consumers.findByKey(key);
  if (!consumer) throw notFound('consumer');
  return consumer;
}

const createBody = z.strictObject({
  name: z.string().min(1).max(128),
  callback: z.string().min(1).max(2048).optional(),
  callback_match: z.enum(['prefix', 'exact']).optional(),
  xauth: z.boolean().default(false),
  profile: z.string().min(1).optional(),
  access_ttl: ttl.optional(),
  rsa_public_key: z.string().min(1).max(16384).optional().meta({ description: 'PEM (SPKI or certificate), for RSA-SHA1.' }),
  allow_legacy_rsa_key: z.boolean().default(false),
  signature_methods: z.array(z.string().min(1)).optional(),
  requestor: z.boolean().default(false),
});

const patchBody = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  callback: z.string().min(1).max(2048).nullable().optional(),
  callback_match: z.enum(['prefix', 'exact']).optional(),
  xauth: z.boolean().optional(),
  profile: z.string().min(1).nullable().optional(),
  access_ttl: ttl.nullable().optional(),
});

const created = consumerSchema.extend({ secret: z.string().meta({ description: 'Shown only in this answer.' }) }).meta({ title: 'CreatedConsumer' });

export const consumerOperations: Operation[] = [
  {
    id: 'listConsumers',
    method: 'GET',
    path: '/consumers',
    tag: 'consumers',
    summary: 'List OAuth 1.0a consumers (never their secrets)',
    access: 'read',
    query: pageQuery.extend({
      enabled: z.enum(['true', 'false']).optional().meta({ description: 'Only enabled (or disabled) consumers.' }),
      xauth: z.enum(['true', 'false']).optional().meta({ description: 'Only consumers trusted (or not) for xAuth.' }),
    }),
    response: pageOf(consumerSchema),
    async handle({ deps, query }) {
      const names = await profileNames(deps.store);
      const views = (await deps.store.consumers.list())
        .map((c) => consumerView(c, names))
        .filter((c) => query.enabled === undefined || String(c.enabled) === query.enabled)
        .filter((c) => query.xauth === undefined || String(c.xauth) === query.xauth);
      return { body: paginate(views, (c) => c.key, query) };
    },
  },
  {
    id: 'createConsumer',
    method: 'POST',
    path: '/consumers',
    tag: 'consumers',
    summary: 'Register a consumer; its secret is in this answer only',
    access: 'write',
    body: createBody,
    response: created,
    status: 201,
    audit: 'consumer',
    async handle({ deps, admin, body }) {
      const { consumer, secret } = await asProblems(() =>
        addConsumer(admin, {
          name: body.name,
          callback: body.callback,
          callbackMatch: body.callback_match,
          xauth: body.xauth,
          profile: body.profile,
          accessTtl: body.access_ttl?.toString(),
          rsaPublicKey: body.rsa_public_key,
          allowLegacyRsaKey: body.allow_legacy_rsa_key,
          signatureMethods: body.signature_methods?.join(','),
          requestor: body.requestor,
        }),
      );
      return { body: { ...consumerView(consumer, await profileNames(deps.store)), secret }, target: consumer.key };
    },
  },
  {
    id: 'getConsumer',
    method: 'GET',
    path: '/consumers/{key}',
    tag: 'consumers',
    summary: 'Read one consumer',
    access: 'read',
    params: byKey,
    response: consumerSchema,
    etag: true,
    async handle({ deps, params }) {
      const view = consumerView(await findConsumer(deps.store, params.key), await profileNames(deps.store));
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'updateConsumer',
    method: 'PATCH',
    path: '/consumers/{key}',
    tag: 'consumers',
    summary: "Change a consumer's name, callback, xAuth trust, profile or lifetime (If-Match required)",
    access: 'write',
    params: byKey,
    body: patchBody,
    response: consumerSchema,
    etag: true,
    ifMatch: true,
    audit: 'consumer',
    async handle({ deps, params, body, ifMatch }) {
      const consumer = await findConsumer(deps.store, params.key);
      if (!ifMatchAdmits(ifMatch as string, etagOf(consumerView(consumer, await profileNames(deps.store))))) throw preconditionFailed();
      const changes: { -readonly [K in keyof ConsumerChanges]: ConsumerChanges[K] } = {};
      if (body.name !== undefined) changes.name = body.name.trim();
      if (body.callback !== undefined) changes.callbackUrl = body.callback === null ? null : await asProblems(async () => parseCallback(body.callback));
      if (body.callback_match !== undefined) changes.callbackMatch = await asProblems(async () => parseCallbackMatch(body.callback_match));
      if (body.xauth !== undefined) changes.xauth = body.xauth;
      if (body.access_ttl !== undefined) changes.accessTtl = body.access_ttl;
      if (body.profile !== undefined) {
        const profile = body.profile === null ? null : await deps.store.profiles.findByName(body.profile);
        if (body.profile !== null && !profile) throw invalidInput(`unknown profile "${body.profile}"`);
        changes.profileId = profile?.id ?? null;
      }
      if (!(await deps.store.consumers.update(consumer.key, consumer.version ?? 0, changes))) throw preconditionFailed();
      const view = consumerView({ ...consumer, ...changes }, await profileNames(deps.store));
      return { body: view, etag: etagOf(view) };
    },
  },
  {
    id: 'deleteConsumer',
    method: 'DELETE',
    path: '/consumers/{key}',
    tag: 'consumers',
    summary: 'Delete a consumer (its tokens and sessions end on every node first)',
    access: 'write',
    params: byKey,
    status: 204,
    audit: 'consumer',
    async handle({ admin, params }) {
      await asProblems(() => deleteConsumer(admin, params.key));
      return {};
    },
  },
  ...(['enable', 'disable'] as const).map(
    (action): Operation => ({
      id: `${action}Consumer`,
      method: 'POST',
      path: `/consumers/{key}/${action}`,
      tag: 'consumers',
      summary: action === 'enable' ? 'Enable a consumer' : 'Disable a consumer (its tokens and sessions end on every node)',
      access: 'write',
      params: byKey,
      response: consumerSchema,
      audit: 'consumer',
      async handle({ deps, admin, params }) {
        await findConsumer(deps.store, params.key);
        await asProblems(() => (action === 'enable' ? enableConsumer(admin, params.key) : disableConsumer(admin, params.key)));
        return { body: consumerView(await findConsumer(deps.store, params.key), await profileNames(deps.store)) };
      },
    }),
  ),
  {
    id: 'rotateConsumerSecret',
    method: 'POST',
    path: '/consumers/{key}/rotate-secret',
    tag: 'consumers',
    summary: "A new secret, in this answer only; the old one and the consumer's tokens end at once, or after grace_seconds",
    access: 'write',
    params: byKey,
    body: z.strictObject({
      grace_seconds: z
        .number()
        .int()
        .min(0)
        .max(MAX_GRACE_SECONDS)
        .default(0)
        .meta({ description: "How long the old secret still signs, and the consumer's tokens from before keep working (0: both end at once)." }),
    }),
    response: z.object({ key: z.string(), secret: z.string(), previous_secret_valid_until: z.string().nullable() }).meta({ title: 'RotatedConsumerSecret' }),
    audit: 'consumer',
    async handle({ deps, admin, params, body }) {
      await findConsumer(deps.store, params.key);
      const { secret, previousValidUntil } = await asProblems(() => rotateConsumerSecret(admin, params.key, { graceSeconds: body.grace_seconds }));
      // This node reads the consumer again at once (the other nodes within about a second, from the log).
      await deps.revocations.feed.catchUp();
      await deps.revocations.feed.catchUp();
      return { body: { key: params.key, secret, previous_secret_valid_until: previousValidUntil === null ? null : new Date(previousValidUntil).toISOString() } };
    },
  },
];
