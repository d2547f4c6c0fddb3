import type { Clock } from '../clock';
import type { GatewayDeps } from '../deps';
import { clientAddress } from '../http/client-address';
import type { Context } from '../http/context';
import { ProtocolError } from '../http/protocol-error';
import type { Identity } from '../identity';
import type { AuditSource, Store } from '../storage/types';
import type { Operation, OperationResult } from './operation';

/** Who made a change: the token's user, or its client for a client_credentials token. */
export function actorOf(identity: Identity): string {
  return identity.username ?? `client:${identity.clientId}`;
}

/** Who made a change, as the audit entry names them. */
export interface AuditActor {
  actor: string;
  /** The OAuth 2.0 client the actor's token was issued to; null for the console (a browser session) and the CLI. */
  actorClient: string | null;
  /** Where the change was made: the admin API, the console, the CLI. */
  source: AuditSource;
}

/** What a change is: the operation's name, and its target's kind and id. */
export interface AuditChange {
  operation: string;
  targetKind: string;
  /** The target when the change fails or names none itself. */
  target: string;
}

export interface RecordOptions<T> {
  targetOf?: (result: T) => string | undefined;
  /** A refusal (the caller's mistake) rather than a failure, beyond the 4xx protocol errors. */
  isRefusal?: (err: unknown) => boolean;
  /** Where a failure to write the entry of a failed change is reported (the change's own error is what the caller sees). */
  onAuditError?: (err: unknown) => void;
}

/**
 * Runs a change and appends its audit entry, whatever came of it: success, refused (the request
 * was wrong: 4xx, or `isRefusal` says so) or failed. The entry names the operation and its target
 * by id, never a body field or a flag's value, so no secret or password can reach it. Shared by the
 * admin API, the console and the CLI, so all three write the same entries.
 */
export async function recordedChange<T>(
  audit: { store: Pick<Store, 'auditLog'>; clock: Clock },
  who: AuditActor & { address: string | null },
  change: AuditChange,
  run: () => Promise<T>,
  options: RecordOptions<T> = {},
): Promise<T> {
  const record = (outcome: 'success' | 'refused' | 'failed', target: string) =>
    audit.store.auditLog.append({
      at: audit.clock(),
      actor: who.actor.slice(0, 255),
      actorClient: who.actorClient,
      operation: change.operation,
      targetKind: change.targetKind,
      target: target.slice(0, 255),
      address: who.address === null ? null : who.address.slice(0, 64),
      outcome,
      source: who.source,
    });
  let result: T;
  try {
    result = await run();
  } catch (err) {
    const refused = (err instanceof ProtocolError && err.status < 500) || options.isRefusal?.(err) === true;
    await record(refused ? 'refused' : 'failed', change.target || '-').catch((auditErr) => options.onAuditError?.(auditErr));
    throw err;
  }
  await record('success', options.targetOf?.(result) ?? (change.target || '-'));
  return result;
}

/** A change made over HTTP (the admin API, the console): the entry names the caller's address. */
export async function auditedChange<T>(
  deps: GatewayDeps,
  ctx: Context,
  who: AuditActor,
  change: AuditChange,
  run: () => Promise<T>,
  options: Omit<RecordOptions<T>, 'onAuditError'> = {},
): Promise<T> {
  const address = clientAddress(ctx, deps.config.server.trustedProxies);
  return recordedChange(deps, { ...who, address }, change, run, {
    ...options,
    onAuditError: (auditErr) => ctx.state.log?.error({ err: String(auditErr) }, 'audit entry not written'),
  });
}

/** The admin API's change: the operation's id and audit kind, the path parameters as target. */
export async function auditedRun(
  deps: GatewayDeps,
  ctx: Context,
  identity: Identity,
  op: Operation,
  params: Record<string, string>,
  run: () => Promise<OperationResult>,
): Promise<OperationResult> {
  return auditedChange(
    deps,
    ctx,
    { actor: actorOf(identity), actorClient: identity.clientId, source: 'api' },
    { operation: op.id, targetKind: op.audit as string, target: Object.values(params).join('/') },
    run,
    { targetOf: (result) => result.target },
  );
}
