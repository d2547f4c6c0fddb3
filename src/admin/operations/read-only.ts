import { z } from 'zod';
import { routeViews } from '../../routes-view';
import type { Operation } from '../operation';
import { pageOf, seqCursor } from '../pagination';

const routeSchema = z
  .object({
    prefix: z.string(),
    upstream: z.string(),
    writeUpstream: z.string().nullable(),
    accept: z.array(z.string()),
    privileges: z.array(z.string()),
    scopes: z.array(z.string()),
    stripPrefix: z.boolean(),
    forwardCredentials: z.boolean(),
    timeoutSeconds: z.number(),
  })
  .meta({ title: 'Route' });

const auditSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actor: z.string(),
    actor_client: z.string().nullable(),
    operation: z.string(),
    target_kind: z.string(),
    target: z.string(),
    address: z.string().nullable(),
    outcome: z.enum(['success', 'refused', 'failed']),
    source: z.enum(['api', 'console', 'cli']).meta({ description: 'Where the change was made: the admin API, the console or the CLI.' }),
  })
  .meta({ title: 'AuditEntry' });

export const readOnlyOperations: Operation[] = [
  {
    id: 'listRoutes',
    method: 'GET',
    path: '/routes',
    tag: 'routes',
    summary: 'The route table, longest prefix first (from the configuration)',
    access: 'read',
    response: z.object({ items: z.array(routeSchema) }),
    async handle({ deps }) {
      return { body: { items: routeViews(deps.config) } };
    },
  },
  {
    id: 'listAuditEntries',
    method: 'GET',
    path: '/audit',
    tag: 'audit',
    summary: 'The audit log, newest first',
    access: 'read',
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(64).optional(),
      operation: z.string().max(64).optional(),
      actor: z.string().max(255).optional(),
      target_kind: z.string().max(32).optional(),
      target: z.string().max(255).optional(),
      source: z.enum(['api', 'console', 'cli']).optional().meta({ description: 'Only changes made through the admin API, the console or the CLI.' }),
    }),
    response: pageOf(auditSchema),
    async handle({ deps, query }) {
      const rows = await deps.store.auditLog.page({
        before: query.cursor === undefined ? undefined : seqCursor.decode(query.cursor),
        limit: query.limit + 1,
        operation: query.operation,
        actor: query.actor,
        targetKind: query.target_kind,
        target: query.target,
        source: query.source,
      });
      const page = rows.slice(0, query.limit);
      const items = page.map((e) => ({
        seq: e.seq,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        actor_client: e.actorClient,
        operation: e.operation,
        target_kind: e.targetKind,
        target: e.target,
        address: e.address,
        outcome: e.outcome as 'success' | 'refused' | 'failed',
        source: e.source,
      }));
      return { body: { items, next_cursor: rows.length > query.limit ? seqCursor.encode(page[page.length - 1].seq) : null } };
    },
  },
];
