import Router from '@koa/router';
import { METHODS } from 'node:http';
import type { z } from 'zod';
import type { GatewayDeps } from '../deps';
import { readRawBody } from '../http/body';
import type { BufferedBodies } from '../http/buffered-bodies';
import type { Context, Middleware, RequestState } from '../http/context';
import { fromEarlierStep } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { methodNotAllowed } from '../http/method-not-allowed';
import { noStore } from '../http/middleware/no-store';
import { routeName } from '../http/middleware/route-name';
import { loopbackOnly, requireAdmin } from './access';
import { auditedRun } from './audit';
import { ADMIN_API_BASE, type Operation } from './operation';
import { adminOperations } from './operations';
import { openApiEndpoint } from './openapi';
import { apiDocs, API_DOCS_PATH } from './api-docs';
import { invalidInput, notFound, preconditionRequired, unsupportedMediaType } from './problems';

/** `/clients/{client_id}` as the router spells it: `/clients/:client_id`. */
const routerPath = (path: string) => ADMIN_API_BASE + path.replace(/\{(\w+)\}/g, ':$1');

/** zod's first complaints, as one sentence naming the fields (never the values: a password may be among them). */
function describeIssues(where: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : where}: ${issue.message}`);
  return `The ${where} is not valid: ${parts.join('; ')}.`;
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidInput(describeIssues(where, result.error));
  return result.data;
}

/** The query as one value per name: a repeated parameter is refused, not silently picked. */
function singleValuedQuery(ctx: Context): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.query)) {
    if (Array.isArray(value)) throw invalidInput(`The query parameter ${name} is repeated.`);
    if (value !== undefined) query[name] = value;
  }
  return query;
}

async function jsonBody(ctx: Context, limit: number, bodies: BufferedBodies): Promise<unknown> {
  const { bytes, mediaType } = await readRawBody(ctx, limit, bodies);
  if (bytes.length === 0) return {};
  if (mediaType !== 'application/json') throw unsupportedMediaType();
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidInput('The request body is not valid JSON.');
  }
}

function handler(deps: GatewayDeps, op: Operation): Middleware {
  return async function runAdminOperation(ctx: Context): Promise<void> {
    const identity = fromEarlierStep(ctx.state.identity, 'requireAdmin');
    const params = op.params ? validate(op.params, ctx.params, 'path') : {};
    const query = op.query ? validate(op.query, singleValuedQuery(ctx), 'query') : {};
    const body = op.body ? validate(op.body, await jsonBody(ctx, deps.config.server.bodyLimitBytes, deps.bufferedBodies), 'request body') : undefined;
    const ifMatch = ctx.get('if-match') || null;
    if (op.ifMatch && ifMatch === null) throw preconditionRequired();
    const admin = { store: deps.store, secrets: deps.secrets, clock: deps.clock, cache: deps.cache };
    const run = () => op.handle({ params: params as Record<string, string>, query, body, ifMatch, deps, admin, ctx });
    const result = op.audit ? await auditedRun(deps, ctx, identity, op, params as Record<string, string>, run) : await run();
    if (result.etag) ctx.set('ETag', result.etag);
    ctx.status = op.status ?? 200;
    if (op.status !== 204) ctx.body = result.body;
  };
}

const notAdminPath = async () => {
  throw notFound('admin API resource');
};

/**
 * The admin API (/admin/api/v1), its OpenAPI document and the explorer (/api-docs). Every answer,
 * refusals included, is no-store and refusals are RFC 9457 Problem Details; callers off loopback
 * are refused unless config admin.remote.
 */
export function adminRouter(deps: GatewayDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  const common = [answersIn('problem-json'), loopbackOnly(deps), noStore];
  const byPath = new Map<string, Operation[]>();
  for (const op of adminOperations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  for (const [path, ops] of byPath) {
    for (const op of ops) router.register(routerPath(path), op.method === 'GET' ? ['GET', 'HEAD'] : [op.method], [routeName(`admin.${op.id}`), ...common, requireAdmin(deps, op.access), handler(deps, op)]);
    const allow: string[] = ops.map((o) => o.method);
    if (allow.includes('GET')) allow.push('HEAD');
    const others = METHODS.filter((m) => !allow.includes(m));
    router.register(routerPath(path), others, [routeName('admin.other'), ...common, async () => { throw methodNotAllowed(allow); }]);
  }
  const openapi = openApiEndpoint(deps);
  router.register(ADMIN_API_BASE + '/openapi.json', ['GET'], [routeName('admin.openapi'), ...common, openapi]);
  for (const [path, serve] of apiDocs()) router.register(path, ['GET'], [routeName('admin.api-docs'), answersIn('problem-json'), loopbackOnly(deps), serve]);
  router.register(ADMIN_API_BASE + '/{*rest}', METHODS, [routeName('admin.unknown'), ...common, notAdminPath]);
  return router;
}

/**
 * Whether a path is the admin API's or the explorer's, cheaply (a prefix, case-insensitive as the
 * routers match): such paths are the gateway's own and never go to an upstream.
 */
export function isAdminPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === ADMIN_API_BASE || lower.startsWith(ADMIN_API_BASE + '/') || lower === API_DOCS_PATH || lower.startsWith(API_DOCS_PATH + '/');
}

