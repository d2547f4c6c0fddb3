import { disableClient, disableConsumer, setUserEnabled, type AdminContext } from '../accounts/admin';
import { deleteClient, deleteConsumer, deleteUser } from '../accounts/delete';
import { enableClient, enableConsumer } from '../accounts/enable';
import { rotateClientSecret, rotateConsumerSecret } from '../accounts/rotate-secret';
import { InvalidInputError } from '../accounts/validation';
import { auditedChange } from '../admin/audit';
import type { GatewayDeps } from '../deps';
import type { Context } from '../http/context';
import type { UserRow } from '../storage/types';
import { badRequest, pageFormOf, seeOther, sendPage } from '../pages';
import { adminUser } from './access';
import { secretPage, type AccountKind } from './operation-pages';

// The console's changes: enable, disable, delete, rotate a secret. Each calls the same accounts
// function as the admin API and the CLI, and writes the same audit entry as the admin API (same
// operation names and target kinds; the actor is the signed-in operator, actorClient null).

type Action = 'enable' | 'disable' | 'delete';

const targetKind: Record<AccountKind, string> = { clients: 'client', consumers: 'consumer', users: 'user' };
const operationName = (action: string, kind: AccountKind) => `${action}${targetKind[kind][0].toUpperCase()}${targetKind[kind].slice(1)}`;

const changes: Record<AccountKind, Record<Action, (admin: AdminContext, id: string) => Promise<void>>> = {
  clients: { enable: enableClient, disable: disableClient, delete: deleteClient },
  consumers: { enable: enableConsumer, disable: disableConsumer, delete: deleteConsumer },
  users: { enable: (a, id) => setUserEnabled(a, id, true), disable: (a, id) => setUserEnabled(a, id, false), delete: deleteUser },
};

/** This node reads the revocation log now: a read already running may have begun before our commit, so twice. */
async function readRevocationsNow(deps: GatewayDeps): Promise<void> {
  await deps.revocations.feed.catchUp();
  await deps.revocations.feed.catchUp();
}

export const adminOf = (deps: GatewayDeps): AdminContext => ({ store: deps.store, secrets: deps.secrets, clock: deps.clock, cache: deps.cache });

/** The form's account id: one non-empty `id` field. */
function accountId(ctx: Context): string {
  const id = pageFormOf(ctx).fields.get('id') ?? '';
  if (id === '' || id.length > 255) throw badRequest('The form must name the account to change.');
  return id;
}

/** Runs the change under an audit entry; a wrong account or value is a 400 page (and a `refused` entry). */
async function audited<T>(ctx: Context, deps: GatewayDeps, operator: UserRow, kind: AccountKind, operation: string, id: string, run: () => Promise<T>): Promise<T> {
  return auditedChange(deps, ctx, { actor: operator.username, actorClient: null, source: 'console' }, { operation, targetKind: targetKind[kind], target: id }, async () => {
    try {
      return await run();
    } catch (err) {
      // The accounts layer's messages name the account and the rule, never a secret.
      if (err instanceof InvalidInputError) throw badRequest(`${err.message[0].toUpperCase()}${err.message.slice(1)}.`);
      throw err;
    }
  });
}

export function changeAccount(deps: GatewayDeps, kind: AccountKind, action: Action) {
  return async function changeAccount(ctx: Context): Promise<void> {
    const id = accountId(ctx);
    // A delete comes from the confirmation page, which adds confirm=yes; a bare POST is not enough.
    if (action === 'delete' && pageFormOf(ctx).fields.get('confirm') !== 'yes') throw badRequest('A delete must be confirmed on its confirmation page.');
    await audited(ctx, deps, await adminUser(ctx, deps), kind, operationName(action, kind), id, () => changes[kind][action](adminOf(deps), id));
    // The revocation log is read by this node at once (the others are woken by the channel).
    await readRevocationsNow(deps);
    seeOther(ctx, `/console/${kind}?done=${action === 'enable' ? 'enabled' : action === 'disable' ? 'disabled' : 'deleted'}`);
  };
}

function graceSeconds(ctx: Context): number {
  const raw = (pageFormOf(ctx).fields.get('grace_seconds') ?? '').trim();
  if (raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw)) throw badRequest('The grace period must be a whole number of seconds.');
  return Number(raw);
}

export function rotateSecret(deps: GatewayDeps, kind: 'clients' | 'consumers') {
  return async function rotateSecret(ctx: Context): Promise<void> {
    const id = accountId(ctx);
    const grace = graceSeconds(ctx);
    const operation = kind === 'clients' ? 'rotateClientSecret' : 'rotateConsumerSecret';
    const operator = await adminUser(ctx, deps);
    const rotated = await audited(ctx, deps, operator, kind, operation, id, async () =>
      kind === 'clients' ? rotateClientSecret(adminOf(deps), id, { graceSeconds: grace }) : rotateConsumerSecret(adminOf(deps), id, { graceSeconds: grace }),
    );
    if (kind === 'consumers') await readRevocationsNow(deps);
    // sendPage answers Cache-Control: no-store: the secret must not stay in any cache.
    sendPage(ctx, secretPage({ username: operator.username, role: 'admin' }, kind, id, rotated.secret, rotated.previousValidUntil));
  };
}
