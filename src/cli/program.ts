import { Command } from 'commander';
import { registerServe } from './commands/serve';
import { registerMigrate } from './commands/migrate';
import { registerProfile } from './commands/profile';
import { registerUser } from './commands/user';
import { registerConsumer } from './commands/consumer';
import { registerClient } from './commands/client';
import { registerSecrets } from './commands/secrets';

export interface GlobalOptions {
  config?: string;
}

export function buildProgram(): Command {
  const program = new Command('oauth-gateway')
    .description('OAuth 1.0a, xAuth and OAuth 2.0 authorization gateway')
    .option('--config <file>', 'JSON config file (keys left out keep their defaults; unknown keys are refused)')
    .showHelpAfterError(false)
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  registerServe(program, globals);
  registerMigrate(program, globals);
  registerProfile(program, globals);
  registerUser(program, globals);
  registerConsumer(program, globals);
  registerClient(program, globals);
  registerSecrets(program, globals);
  // Commander's own messages (missing flag, unknown option) go through our one-line error path.
  program.configureOutput({ writeErr: () => undefined });
  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({ writeErr: () => undefined });
    for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeErr: () => undefined });
  }
  return program;
}
