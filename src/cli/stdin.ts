import { InvalidInputError } from '../accounts/validation';

/** Reads one line from standard input (for passwords and keys that should not sit in shell history). */
export async function readStdinLine(prompt = 'new password: '): Promise<string | undefined> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    if (Buffer.concat(chunks).includes(0x0a)) break;
  }
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0];
  return line === '' ? undefined : line;
}

const ENTER = new Set(['\r', '\n']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const ERASE = new Set(['\u007f', '\b']);

/**
 * Asks on the terminal with echo off (raw mode: the terminal shows nothing of what is typed, not
 * even stars, so the length stays private too). Keys typed ahead of a later question are kept for it.
 * Raw mode stays on between questions, so nothing typed in between is echoed; the caller ends it.
 */
function hiddenQuestions() {
  let ahead = '';
  return function ask(prompt: string): Promise<string> {
    const stdin = process.stdin;
    return new Promise((resolve, reject) => {
      let typed = '';
      const finish = (err?: Error) => {
        stdin.off('data', onData);
        stdin.pause();
        process.stderr.write('\n');
        if (err) reject(err);
        else resolve(typed);
      };
      const take = (text: string): boolean => {
        const chars = [...text];
        for (let i = 0; i < chars.length; i++) {
          const ch = chars[i];
          if (ENTER.has(ch) || (ch === CTRL_D && typed === '')) {
            ahead = chars.slice(i + 1).join('').replace(/^\n/, '');
            finish();
            return true;
          }
          if (ch === CTRL_C) {
            finish(new InvalidInputError('cancelled; nothing was changed'));
            return true;
          }
          if (ERASE.has(ch)) typed = [...typed].slice(0, -1).join('');
          else if (ch >= ' ') typed += ch;
        }
        return false;
      };
      const onData = (chunk: Buffer) => void take(chunk.toString('utf8'));
      stdin.setRawMode(true);
      process.stderr.write(prompt);
      const pending = ahead;
      ahead = '';
      if (take(pending)) return;
      stdin.on('data', onData);
      stdin.resume();
    });
  };
}

/**
 * A new password: on a terminal asked twice without echo (a typo would otherwise lock the user
 * out), else one line from standard input (a pipe or a file, for scripts).
 */
export async function readNewPassword(whose: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return readStdinLine();
  const ask = hiddenQuestions();
  try {
    const first = await ask(`new password for ${whose}: `);
    if (first === '') return undefined;
    const second = await ask('the same password again: ');
    if (first !== second) throw new InvalidInputError('the two passwords differ; nothing was changed');
    return first;
  } finally {
    process.stdin.setRawMode(false);
  }
}
