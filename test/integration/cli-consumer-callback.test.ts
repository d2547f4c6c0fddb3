import { cliRunner, type CliResult } from '../helpers/cli';

// The registered callback of an OAuth 1.0a consumer from the CLI: consumer add --callback and
// --callback-match, consumer set to change or remove them. (The HTTP side is in
// oauth1-callback.test.ts.)

const cli = cliRunner();
afterAll(() => cli.cleanup());

function json<T = any>(result: CliResult): T {
  expect(result.stderr.replace(/^warning: generated a new secret key in .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function refusedWithOneLine(result: CliResult, mentions: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(mentions);
}

const listed = async (key: string) => json<any[]>(await cli.run('consumer', 'list', '--json')).find((c) => c.key === key);

test('consumer add registers the callback with prefix matching by default', async () => {
  const created = json(await cli.run('consumer', 'add', '--name', 'Web app', '--callback', 'https://app.example/oauth/cb', '--json'));
  expect(created).toMatchObject({ callback: 'https://app.example/oauth/cb', callbackMatch: 'prefix' });
  expect(await listed(created.key)).toMatchObject({ callback: 'https://app.example/oauth/cb', callbackMatch: 'prefix' });
});

test('consumer add takes --callback-match exact and a native app scheme', async () => {
  const created = json(await cli.run('consumer', 'add', '--name', 'Native', '--callback', 'myapp://callback', '--callback-match', 'exact', '--json'));
  expect(created).toMatchObject({ callback: 'myapp://callback', callbackMatch: 'exact' });
});

test('consumer set changes the callback and the match, keeps what it is not given, and --no-callback removes the registration', async () => {
  const { key } = json(await cli.run('consumer', 'add', '--name', 'Changing', '--json'));
  expect(json(await cli.run('consumer', 'set', key, '--callback', 'https://app.example/cb', '--json'))).toEqual({ key, callback: 'https://app.example/cb', callbackMatch: 'prefix' });
  expect(json(await cli.run('consumer', 'set', key, '--callback-match', 'exact', '--json'))).toEqual({ key, callback: 'https://app.example/cb', callbackMatch: 'exact' });
  expect(json(await cli.run('consumer', 'set', key, '--callback', 'https://app.example/v2/cb', '--json'))).toEqual({ key, callback: 'https://app.example/v2/cb', callbackMatch: 'exact' });
  expect(await listed(key)).toMatchObject({ callback: 'https://app.example/v2/cb', callbackMatch: 'exact' });
  expect(json(await cli.run('consumer', 'set', key, '--no-callback', '--json'))).toMatchObject({ key, callback: null });
  expect((await listed(key)).callback).toBeNull();
});

test('consumer set prints the registration in words without --json', async () => {
  const { key } = json(await cli.run('consumer', 'add', '--name', 'Words', '--json'));
  const result = await cli.run('consumer', 'set', key, '--callback', 'https://app.example/cb');
  expect([result.code, result.stdout.trim()]).toEqual([0, `consumer ${key}: callback https://app.example/cb (prefix)`]);
});

test.each([
  [['consumer', 'add', '--name', 'X', '--callback', 'javascript:alert(1)'], 'javascript:'],
  [['consumer', 'add', '--name', 'X', '--callback', 'data:text/html,x'], 'not javascript:, data:'],
  [['consumer', 'add', '--name', 'X', '--callback', 'file:///etc/passwd'], 'file:'],
  [['consumer', 'add', '--name', 'X', '--callback', 'https://app.example/cb#f'], 'fragment'],
  [['consumer', 'add', '--name', 'X', '--callback', 'https://app.example/cb', '--callback-match', 'loose'], '--callback-match must be prefix or exact'],
  [['consumer', 'add', '--name', 'X', '--callback-match', 'exact'], '--callback-match needs --callback'],
])('consumer add refuses %j with one line, exit 2, and writes nothing', async (args, mentions) => {
  const before = (await cli.run('consumer', 'list', '--json')).stdout;
  refusedWithOneLine(await cli.run(...args), mentions);
  expect((await cli.run('consumer', 'list', '--json')).stdout).toBe(before);
});

test('consumer set refuses bad input with one line, exit 2, and changes nothing', async () => {
  const { key } = json(await cli.run('consumer', 'add', '--name', 'Guarded', '--callback', 'https://app.example/cb', '--json'));
  refusedWithOneLine(await cli.run('consumer', 'set', key, '--callback', 'vbscript:msgbox(1)'), 'vbscript:');
  refusedWithOneLine(await cli.run('consumer', 'set', key, '--callback-match', 'sometimes'), '--callback-match must be prefix or exact');
  refusedWithOneLine(await cli.run('consumer', 'set', key), 'nothing to change');
  refusedWithOneLine(await cli.run('consumer', 'set', 'no-such-key', '--callback', 'oob'), 'unknown consumer "no-such-key"');
  expect(await listed(key)).toMatchObject({ callback: 'https://app.example/cb', callbackMatch: 'prefix' });
  const { key: bare } = json(await cli.run('consumer', 'add', '--name', 'Bare', '--json'));
  refusedWithOneLine(await cli.run('consumer', 'set', bare, '--callback-match', 'exact'), 'needs a registered callback');
});
