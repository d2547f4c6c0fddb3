import os from 'node:os';
import type { AdminContext } from '../accounts/admin';
import { InvalidInputError } from '../accounts/validation';
import { recordedChange, type AuditChange } from '../admin/audit';
import type { GatewayConfig } from '../config';
import { withAdmin, type LoadedKey } from './context';

/**
 * The OS user running the command: the CLI has no sign-in of its own, and whoever can run it on a
 * node can change anything, so the entry records the account the shell belongs to. `cli` when the
 * process has no user name (a container running under a bare uid).
 */
export function cliActor(): string {
  try {
    return os.userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

/**
 * An admin command that changes something (withAdmin), recorded in the audit log like the admin
 * API's and the console's changes: source `cli`, the OS user as actor, no address. The entry is
 * written after the change, whatever came of it (a refused command, e.g. an unknown account, is
 * `refused`); it names the target by id, never a flag's value.
 */
export async function withAudit<T>(
  configFile: string | undefined,
  change: AuditChange,
  fn: (ctx: AdminContext, config: GatewayConfig, key: LoadedKey) => Promise<T>,
  options: { targetOf?: (result: T) => string | undefined } = {},
): Promise<T> {
  return withAdmin(configFile, (ctx, config, key) =>
    recordedChange(ctx, { actor: cliActor(), actorClient: null, address: null, source: 'cli' }, change, () => fn(ctx, config, key), {
      targetOf: options.targetOf,
      isRefusal: (err) => err instanceof InvalidInputError,
      // The command's own error is what the operator must see; this line only says the log has a gap.
      onAuditError: () => process.stderr.write('warning: the audit entry of this command was not written\n'),
    }),
  );
}
