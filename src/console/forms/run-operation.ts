import { adminOperations } from '../../admin/operations';
import type { Operation, OperationResult } from '../../admin/operation';
import type { GatewayDeps } from '../../deps';
import type { Context } from '../../http/context';
import { ProtocolError } from '../../http/protocol-error';
import { PageError } from '../../pages';
import { adminOf } from '../operations';

// The console runs the admin API's own operations (the same handler after the same schema), so a
// form can accept nothing the API would refuse, and an edit is checked against its version the
// way a PATCH with If-Match is.

export function operationNamed(id: string): Operation {
  const op = adminOperations.find((o) => o.id === id);
  if (!op) throw new Error(`the admin API has no operation ${id}`);
  return op;
}

export interface RunInput {
  params?: Record<string, string>;
  body?: unknown;
  /** The version the edit form was opened with: the ETag the operation compares (If-Match). */
  ifMatch?: string | null;
}

export function runOperation(deps: GatewayDeps, ctx: Context, op: Operation, input: RunInput): Promise<OperationResult> {
  return op.handle({ params: input.params ?? {}, query: {}, body: input.body, ifMatch: input.ifMatch ?? null, deps, admin: adminOf(deps), ctx });
}

/** The operation's refusal code when it is one of these, else null (anything else is rethrown by the caller). */
export function refusalOf(err: unknown, codes: readonly string[]): ProtocolError | null {
  return err instanceof ProtocolError && codes.includes(err.code) ? err : null;
}

/** A registration the address names but the store does not hold: the console's 404 page. */
export const noSuch = (one: string) => new PageError(404, `No such ${one}`, `No ${one} by that name. It may have been deleted meanwhile.`);

/** Reads one registration with its version (the read operation's answer and ETag). */
export async function readWithVersion(deps: GatewayDeps, ctx: Context, readOp: string, params: Record<string, string>, one: string): Promise<{ view: Record<string, unknown>; etag: string }> {
  try {
    const result = await runOperation(deps, ctx, operationNamed(readOp), { params });
    return { view: result.body as Record<string, unknown>, etag: result.etag as string };
  } catch (err) {
    if (refusalOf(err, ['not_found'])) throw noSuch(one);
    throw err;
  }
}
