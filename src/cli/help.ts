import { Help, type Command, type Option } from 'commander';
import { environmentOverrides } from '../config/env';
import { examples } from './examples';

// The variables every command that opens the database reads first; the rest (serve's) are listed
// in full under `oauth-gateway --help` and `serve --help`.
const storageVariables = ['GATEWAY_DATA_DIR', 'GATEWAY_DATABASE_URL', 'GATEWAY_SECRET_KEY', 'GATEWAY_REDIS_URL'];

/** A command's words after the program name ("user add"); "" for the program itself. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** An example made from the command's arguments and required options, for a command with none written. */
function builtExample(cmd: Command): string {
  const args = cmd.registeredArguments.map((a) => a.name().toUpperCase());
  const required = cmd.options.filter((o) => o.mandatory).map((o) => `${o.long} ${(o.flags.match(/<([^>]+)>/)?.[1] ?? 'VALUE').toUpperCase()}`);
  return ['oauth-gateway', commandPath(cmd), ...args, ...required].join(' ');
}

function variableLines(names: readonly string[]): string[] {
  const width = Math.max(...names.map((n) => n.length));
  return names.map((name) => {
    const key = environmentOverrides.find((v) => v.name === name)?.path.join('.') ?? '';
    return `  ${name.padEnd(width)}  overrides ${key}`;
  });
}

function environmentText(cmd: Command): string[] {
  const path = commandPath(cmd);
  if (path === '' || path === 'serve') {
    return ['Environment (each overrides a key of the --config file):', ...variableLines(environmentOverrides.map((v) => v.name))];
  }
  return ['Environment (and every other GATEWAY_* variable `oauth-gateway --help` lists):', ...variableLines(storageVariables)];
}

/** Required options say so in --help (commander lists them among the optional ones otherwise). */
const requiredMarked = {
  optionDescription(option: Option): string {
    const text = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `(required) ${text}` : text;
  },
};

/**
 * What every command's --help carries, added once for the whole tree so that a command registered
 * later gets it too: required options marked, examples, the environment variables it reads, and
 * the exit codes.
 */
export function describeCommands(cmd: Command): void {
  cmd.configureHelp(requiredMarked);
  const isGroup = cmd.commands.length > 0 && cmd.parent !== null;
  const examplesOf = (c: Command) => examples[commandPath(c)] ?? [builtExample(c)];
  if (isGroup) {
    // A group (`user`, `client`) shows one example of each of its commands.
    cmd.addHelpText('after', ['', 'Examples:', ...cmd.commands.map((sub) => `  ${examplesOf(sub)[0]}`)].join('\n'));
  } else {
    const lines = examplesOf(cmd);
    const after = ['', 'Examples:', ...lines.map((l) => `  ${l}`), '', ...environmentText(cmd)];
    if (cmd.parent === null) after.push('', 'Exit codes: 0 done, 2 bad input or configuration (one line on stderr; JSON with --json), 3 serve cut requests at its drain deadline, 1 anything else.');
    cmd.addHelpText('after', after.join('\n'));
  }
  for (const sub of cmd.commands) describeCommands(sub);
}
