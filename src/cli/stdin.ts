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
