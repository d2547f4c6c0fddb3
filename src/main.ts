import 'reflect-metadata';
import { CommanderError } from 'commander';
import { buildProgram } from './cli/program';
import { ConfigError } from './config';
import { InvalidInputError } from './accounts/validation';
import { SecretKeyMismatchError } from './crypto';
import { flagFor } from './cli/flags';
import { ServeExitError } from './serve-exit';

/**
 * CLI entry. Exit codes: 0 success, 2 bad input or configuration (one line on stderr, nothing
 * written), 3 `serve` drained but its deadline cut requests in flight, 1 anything else.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      process.stderr.write(err.message.replace(/^error: /, 'oauth-gateway: ') + '\n');
      return 2;
    }
    if (err instanceof InvalidInputError) {
      // Input errors name fields; the operator typed flags.
      process.stderr.write(`oauth-gateway: ${err.describe(flagFor)}\n`);
      return 2;
    }
    if (err instanceof ServeExitError) {
      process.stderr.write(`oauth-gateway: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError || err instanceof SecretKeyMismatchError) {
      process.stderr.write(`oauth-gateway: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`oauth-gateway: ${(err as Error)?.message ?? String(err)}\n`);
    return 1;
  }
}
