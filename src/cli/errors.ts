import { CommanderError } from 'commander';
import { ConfigError } from '../config';
import { InvalidInputError } from '../accounts/validation';
import { SecretKeyMismatchError } from '../crypto';
import { BackupError } from '../storage/backup';
import { ServeExitError } from '../serve-exit';
import { flagFor } from './flags';

/** How a command failed: a stable code for scripts, the operator's sentence, the exit code. */
export interface CliFailure {
  error: 'usage' | 'invalid_input' | 'config' | 'secret_key' | 'backup' | 'serve' | 'failed';
  message: string;
  exitCode: number;
}

/**
 * The one place an error becomes what the CLI says and returns. null: not a failure (help or the
 * version was asked for).
 */
export function failureOf(err: unknown): CliFailure | null {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return null;
    // A group run without its command (`oauth-gateway user`): commander printed the group's help.
    if (err.code === 'commander.help') return { error: 'usage', message: 'a command is missing (its help is above)', exitCode: 2 };
    const message = err.message.replace(/^error: /, '');
    // A value that starts with "-" (an old kid, a pasted token) reads as an option; say how to pass it.
    if (err.code === 'commander.unknownOption') return { error: 'usage', message: `${message} (a value that starts with "-" goes after --, e.g. keys retire -- -AbC)`, exitCode: 2 };
    return { error: 'usage', message, exitCode: 2 };
  }
  // Input errors name fields; the operator typed flags.
  if (err instanceof InvalidInputError) return { error: 'invalid_input', message: err.describe(flagFor), exitCode: 2 };
  if (err instanceof ServeExitError) return { error: 'serve', message: err.message, exitCode: err.exitCode };
  if (err instanceof ConfigError) return { error: 'config', message: err.message, exitCode: 2 };
  if (err instanceof SecretKeyMismatchError) return { error: 'secret_key', message: err.message, exitCode: 2 };
  if (err instanceof BackupError) return { error: 'backup', message: err.message, exitCode: 2 };
  return { error: 'failed', message: (err as Error)?.message ?? String(err), exitCode: 1 };
}

/** Whether the command line asks for JSON (`--json` before any `--`): errors then come as JSON too. */
export function wantsJson(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

/** One line on stderr: `oauth-gateway: <message>`, or `{"error":..., "message":..., "exitCode":...}` with --json. */
export function reportFailure(failure: CliFailure, json: boolean): void {
  process.stderr.write(json ? JSON.stringify(failure) + '\n' : `oauth-gateway: ${failure.message}\n`);
}
