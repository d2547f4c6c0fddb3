import { cliRunner, type CliResult } from '../helpers/cli';

// client add --require-par (RFC 9126 per client): stored, and shown by client add and client list.

let cli: ReturnType<typeof cliRunner>;
beforeEach(() => {
  cli = cliRunner();
});
afterEach(() => cli.cleanup());

function json<T = any>(result: CliResult): T {
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

test('client add --require-par is stored and listed; without it a client may authorize directly', async () => {
  const strict = json(await cli.run('client', 'add', '--name', 'Strict', '--id', 'strict', '--grants', 'authorization_code', '--redirect-uri', 'https://app.example/cb', '--require-par', '--json'));
  expect(strict.require_par).toBe(true);
  const plain = json(await cli.run('client', 'add', '--name', 'Plain', '--id', 'plain', '--grants', 'authorization_code', '--redirect-uri', 'https://app.example/cb', '--json'));
  expect(plain.require_par).toBe(false);
  const listed = json<Array<{ client_id: string; require_par: boolean }>>(await cli.run('client', 'list', '--json'));
  expect(Object.fromEntries(listed.map((c) => [c.client_id, c.require_par]))).toEqual({ strict: true, plain: false });
});
