import { Command } from 'commander';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerBackup } from './commands/backup';
import { registerProfile } from './commands/profile';
import { registerUser } from './commands/user';
import { registerConsumer } from './commands/consumer';
import { registerClient } from './commands/client';
import { registerSecrets } from './commands/secrets';
import { describeCommands } from './help';
import { registerRoutes } from './commands/routes';
import { packageVersion } from '../version';
import { registerKeys } from './commands/keys';

export interface GlobalOptions {
  config?: string;
}

/**
 * Every command, however deep: errors reach main() (which prints them once, as one line or JSON)
 * instead of commander printing and exiting; help text (--help, or a group's help when its command
 * is missing) is still printed by commander.
 */
function routeErrorsToMain(cmd: Command): void {
  cmd.exitOverride().configureOutput({ outputError: () => undefined });
  for (const sub of cmd.commands) routeErrorsToMain(sub);
}

export function buildProgram(): Command {
  const program = new Command('oauth-gateway')
    .description('OAuth 1.0a, xAuth and OAuth 2.0 authorization gateway')
    .option('--config <file>', 'JSON config file (keys left out keep their defaults; unknown keys are refused)')
    .version(packageVersion(), '-V, --version', 'print the version')
    .showHelpAfterError(false);
  const globals = () => program.opts<GlobalOptions>();
  registerServe(program, globals);
  registerMigrate(program, globals);
  registerBackup(program, globals);
  registerProfile(program, globals);
  registerUser(program, globals);
  registerConsumer(program, globals);
  registerClient(program, globals);
  registerSecrets(program, globals);
  registerKeys(program, globals);
  registerRoutes(program, globals);
  routeErrorsToMain(program);
  describeCommands(program);
  return program;
}
