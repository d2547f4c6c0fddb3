import Router from '@koa/router';
import type { Context, RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { mountEndpoint, type Endpoint } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { routeName } from '../http/middleware/route-name';
import { revokeUserGrants, userGrantList } from '../accounts/user-grants';
import { InvalidInputError } from '../accounts/validation';
import { routeTable } from '../gateway/routes';
import { badRequest, liveSessionsOf, loadSession, openPageForm, pageFormOf, seeOther, sendPage } from '../pages';
import { endSession, sessionsSection } from './sessions';
import type { SafeHtml } from '../pages/templates';
import { adminUser, operator, readOnlyOperator, requireAdmin } from './access';
import { dashboardNumbers } from './dashboard';
import { clientsPage, consumersPage, dashboardPage, grantsPage, routesPage, usersPage, type ConsoleFrame } from './pages';
import { auditedChange } from '../admin/audit';
import { confirmDeletePage, doneNotices, type AccountKind } from './operation-pages';
import { changeAccount, rotateSecret } from './operations';
import { auditPage, auditPageOf, AUDIT_PAGE_SIZE } from './audit-page';
import { registrationEndpoints } from './forms/endpoints';
import { registrations } from './forms/registrations';
import { consoleStylesheet, consoleStylesheetEtag, consoleStylesheetPath } from './stylesheet';

// /console: the operators' console. Every page asks for a signed-in user whose profile holds
// `admin` or `admin_read` (others get a 403 page); every POST carries the session's CSRF token and
// needs `admin`. The pages read the store and the metrics; the changes (revoking grants; enabling,
// disabling, deleting accounts, rotating secrets: operations.ts) go through the same accounts code
// as the CLI and the admin API, and are written to the audit log (/console/audit).

type ConsoleDeps = GatewayDeps;

function view(path: string, name: string, deps: ConsoleDeps, render: (ctx: Context, frame: ConsoleFrame) => Promise<SafeHtml>): Endpoint {
  return {
    paths: [path],
    common: [routeName(name), answersIn('page')],
    methods: {
      GET: [
        async (ctx) => {
          const frame = await operator(ctx, deps);
          if (frame) sendPage(ctx, await render(ctx, frame));
        },
      ],
    },
  };
}

async function profileNames(deps: ConsoleDeps): Promise<Map<string, string>> {
  return new Map((await deps.store.profiles.list()).map((p) => [p.id, p.name]));
}

function singleQuery(ctx: Context, name: string): string | null {
  const value = ctx.query[name];
  if (Array.isArray(value)) throw badRequest(`The address holds "${name}" more than once.`);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

const grantNotices: Record<string, string> = {
  revoked: 'Grants revoked. The tokens stopped working at once.',
  'session-ended': 'Session ended. That browser is signed out on every node.',
};

async function grantsView(ctx: Context, deps: ConsoleDeps, frame: ConsoleFrame): Promise<SafeHtml> {
  const username = singleQuery(ctx, 'user');
  const done = singleQuery(ctx, 'done');
  const csrfToken = await (await loadSession(ctx, deps)).csrfToken();
  const base = { username, csrfToken, notice: done ? grantNotices[done] ?? null : null, names: new Map<string, string>() };
  if (username === null) return grantsPage(frame, { ...base, found: false, grants: [] });
  const user = await deps.store.users.findByUsername(username);
  if (!user) return grantsPage(frame, { ...base, found: false, grants: [] });
  const grants = userGrantList(await deps.store.userGrants.listUser(user.id, deps.clock()));
  const names = new Map<string, string>();
  for (const client of await deps.store.clients.list()) names.set(`oauth2:${client.clientId}`, client.name);
  for (const consumer of await deps.store.consumers.list()) names.set(`oauth1:${consumer.key}`, consumer.name);
  const sessions = sessionsSection({
    username: user.username,
    sessions: await liveSessionsOf(deps, user.id),
    ownDigest: (await loadSession(ctx, deps)).digest(),
    csrfToken: frame.role === 'admin' ? csrfToken : null,
  });
  return grantsPage(frame, { ...base, username: user.username, found: true, grants, names, sessions });
}

async function revokeGrants(ctx: Context, deps: ConsoleDeps): Promise<void> {
  const form = pageFormOf(ctx).fields;
  const username = form.get('user') ?? '';
  const client = form.get('client');
  const consumer = form.get('consumer');
  const all = form.get('all') === 'yes';
  if (!username || [client !== undefined, consumer !== undefined, all].filter(Boolean).length !== 1) {
    throw badRequest('The form must name a user and one of: a client, a consumer, or all grants.');
  }
  const actor = await adminUser(ctx, deps);
  // Audited as the admin API's revokeUserGrants is: a grant change, its target the user.
  await auditedChange(deps, ctx, { actor: actor.username, actorClient: null, source: 'console' }, { operation: 'revokeUserGrants', targetKind: 'grant', target: username }, async () => {
    try {
      await revokeUserGrants(deps, username, all ? {} : { client, consumer });
    } catch (err) {
      if (err instanceof InvalidInputError) throw badRequest('That user, client or consumer does not exist.');
      throw err;
    }
  });
  // This node reads the revocation log at once (the others are woken by the channel).
  await deps.revocations.feed.catchUp();
  await deps.revocations.feed.catchUp();
  ctx.state.log?.info({ operatorId: (await loadSession(ctx, deps)).userId, client: client ?? null, consumer: consumer ?? null, all }, 'operator revoked grants');
  seeOther(ctx, `/console/grants?${new URLSearchParams({ user: username, done: 'revoked' })}`);
}

/** The buttons' CSRF token and the notice of ?done=, for an `admin` operator; null (no buttons) for `admin_read`. */
async function controlsFor(ctx: Context, deps: ConsoleDeps, frame: ConsoleFrame) {
  if (frame.role !== 'admin') return null;
  const done = singleQuery(ctx, 'done');
  return { csrfToken: await (await loadSession(ctx, deps)).csrfToken(), notice: done ? doneNotices[done] ?? null : null };
}

async function confirmDeleteView(ctx: Context, deps: ConsoleDeps, frame: ConsoleFrame, kind: AccountKind): Promise<SafeHtml> {
  if (frame.role !== 'admin') throw readOnlyOperator();
  const id = singleQuery(ctx, 'id');
  if (id === null) throw badRequest('The address must name the account to delete.');
  return confirmDeletePage(frame, await (await loadSession(ctx, deps)).csrfToken(), kind, id);
}

async function auditView(ctx: Context, deps: ConsoleDeps, frame: ConsoleFrame): Promise<SafeHtml> {
  const before = singleQuery(ctx, 'before');
  if (before !== null && !/^\d{1,15}$/.test(before)) throw badRequest('"before" must be an entry number.');
  const rows = await deps.store.auditLog.page({ before: before === null ? undefined : Number(before), limit: AUDIT_PAGE_SIZE + 1 });
  const { entries, olderBefore } = auditPageOf(rows);
  return auditPage(frame, entries, olderBefore, before !== null);
}

function post(path: string, name: string, deps: ConsoleDeps, handle: (ctx: Context) => Promise<void>): Endpoint {
  return { paths: [path], common: [routeName(name), answersIn('page')], methods: { POST: [openPageForm(deps, { csrf: 'session' }), requireAdmin(deps), handle] } };
}

function accountOperations(deps: ConsoleDeps): Endpoint[] {
  const endpoints: Endpoint[] = [];
  for (const kind of ['clients', 'consumers', 'users'] as const) {
    for (const action of ['enable', 'disable'] as const) endpoints.push(post(`/console/${kind}/${action}`, `console.${kind}.${action}`, deps, changeAccount(deps, kind, action)));
    // GET: the confirmation page; POST (from it): the delete.
    const del = post(`/console/${kind}/delete`, `console.${kind}.delete`, deps, changeAccount(deps, kind, 'delete'));
    endpoints.push({ ...del, methods: { ...del.methods, GET: [async (ctx: Context) => {
      const frame = await operator(ctx, deps);
      if (frame) sendPage(ctx, await confirmDeleteView(ctx, deps, frame, kind));
    }] } });
  }
  endpoints.push(post('/console/clients/rotate-secret', 'console.clients.rotate_secret', deps, rotateSecret(deps, 'clients')));
  endpoints.push(post('/console/consumers/rotate-secret', 'console.consumers.rotate_secret', deps, rotateSecret(deps, 'consumers')));
  return endpoints;
}

async function serveConsoleStylesheet(ctx: Context): Promise<void> {
  ctx.state.outcome = 'ok';
  // The href carries the content digest, as the main stylesheet's does.
  ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
  ctx.set('ETag', consoleStylesheetEtag);
  ctx.type = 'text/css; charset=utf-8';
  ctx.body = consoleStylesheet;
  if (ctx.fresh) ctx.status = 304;
}

export function consoleRouter(deps: ConsoleDeps): Router {
  const router = new Router<RequestState>();
  const lifetimes = deps.config.lifetimes;
  const endpoints: Endpoint[] = [
    view('/console', 'console.dashboard', deps, async (_ctx, frame) => {
      const uptime = process.uptime();
      return dashboardPage(frame, await dashboardNumbers(deps.metrics, uptime), uptime);
    }),
    view('/console/clients', 'console.clients', deps, async (ctx, frame) =>
      clientsPage(frame, await deps.store.clients.list(), await profileNames(deps), { access: lifetimes.accessToken, refresh: lifetimes.refreshToken }, await controlsFor(ctx, deps, frame)),
    ),
    view('/console/consumers', 'console.consumers', deps, async (ctx, frame) =>
      consumersPage(frame, await deps.store.consumers.list(), await profileNames(deps), { oauth1: deps.config.oauth1, access: lifetimes.oauth1AccessToken }, await controlsFor(ctx, deps, frame)),
    ),
    view('/console/users', 'console.users', deps, async (ctx, frame) => usersPage(frame, await deps.store.users.list(), await deps.store.profiles.list(), await controlsFor(ctx, deps, frame))),
    view('/console/audit', 'console.audit', deps, (ctx, frame) => auditView(ctx, deps, frame)),
    view('/console/grants', 'console.grants', deps, (ctx, frame) => grantsView(ctx, deps, frame)),
    view('/console/routes', 'console.routes', deps, async (_ctx, frame) => routesPage(frame, routeTable(deps.config))),
    {
      paths: ['/console/grants/revoke'],
      common: [routeName('console.revoke_grants'), answersIn('page')],
      methods: { POST: [openPageForm(deps, { csrf: 'session' }), requireAdmin(deps), (ctx) => revokeGrants(ctx, deps)] },
    },
    ...accountOperations(deps),
    {
      paths: ['/console/sessions/end'],
      common: [routeName('console.end_session'), answersIn('page')],
      methods: { POST: [openPageForm(deps, { csrf: 'session' }), requireAdmin(deps), endSession(deps)] },
    },
    ...registrations.flatMap((reg) => registrationEndpoints(deps, reg)),
    { paths: [consoleStylesheetPath], common: [routeName('console.stylesheet'), answersIn('page')], methods: { GET: [serveConsoleStylesheet] } },
  ];
  for (const endpoint of endpoints) mountEndpoint(router, endpoint);
  return router;
}
