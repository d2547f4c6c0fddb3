import 'reflect-metadata';
import { buildProgram } from './cli/program';
import { failureOf, reportFailure, wantsJson } from './cli/errors';

/**
 * CLI entry. Exit codes: 0 success, 2 bad input or configuration (one line on stderr, nothing
 * written; a JSON object with --json), 3 `serve` drained but its deadline cut requests in flight,
 * 1 anything else.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    const failure = failureOf(err);
    if (failure === null) return 0;
    reportFailure(failure, wantsJson(argv));
    return failure.exitCode;
  }
}
