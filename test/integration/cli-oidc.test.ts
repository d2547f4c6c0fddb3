import { cliRunner, jsonOf, refusedWith, type CliResult } from '../helpers/cli';

// The OpenID Connect admin commands: keys list | rotate | retire, user set, client add/set options.
let cli: ReturnType<typeof cliRunner>;
beforeEach(() => {
  cli = cliRunner();
});
afterEach(() => cli.cleanup());

type Key = { kid: string; alg: string; state: string; publishedUntil: string | null };

test('keys list makes the first keys: an active and a published next key per algorithm', async () => {
  const keys = jsonOf<Key[]>(await cli.run('keys', 'list', '--json'));
  expect(keys.map((k) => `${k.alg} ${k.state}`).sort()).toEqual(['ES256 active', 'ES256 next', 'RS256 active', 'RS256 next']);
  expect(jsonOf<Key[]>(await cli.run('keys', 'list', '--json')).map((k) => k.kid).sort()).toEqual(keys.map((k) => k.kid).sort());
});

test('keys rotate: the next key signs, the active one retires and stays published, a new next key appears', async () => {
  const before = jsonOf<Key[]>(await cli.run('keys', 'list', '--json')).filter((k) => k.alg === 'RS256');
  const active = before.find((k) => k.state === 'active')!;
  const next = before.find((k) => k.state === 'next')!;
  const rotated = jsonOf(await cli.run('keys', 'rotate', '--alg', 'RS256', '--json'));
  expect(rotated).toMatchObject({ promoted: [next.kid], retired: [active.kid] });
  const after = jsonOf<Key[]>(await cli.run('keys', 'list', '--json')).filter((k) => k.alg === 'RS256');
  expect(after.find((k) => k.kid === next.kid)?.state).toBe('active');
  const retired = after.find((k) => k.kid === active.kid)!;
  expect(retired.state).toBe('retired');
  // Published for the ID token lifetime (one hour by default) after retirement.
  expect(Date.parse(retired.publishedUntil!)).toBeGreaterThan(Date.now() + 3500_000);
  expect(after.filter((k) => k.state === 'next')).toHaveLength(1);
});

test('keys retire hands an active key over to the next one; an unknown or retired key is refused', async () => {
  const keys = jsonOf<Key[]>(await cli.run('keys', 'list', '--json')).filter((k) => k.alg === 'ES256');
  const active = keys.find((k) => k.state === 'active')!;
  const next = keys.find((k) => k.state === 'next')!;
  expect(jsonOf(await cli.run('keys', 'retire', active.kid, '--json'))).toEqual({ retired: active.kid, promoted: next.kid });
  refusedWith(await cli.run('keys', 'retire', active.kid), 'already retired');
  refusedWith(await cli.run('keys', 'retire', 'no-such-kid'), 'unknown key');
  refusedWith(await cli.run('keys', 'rotate', '--alg', 'HS256'), '--alg');
});

test('a kid that starts with "-" is passed after --; without it the refusal says so', async () => {
  refusedWith(await cli.run('keys', 'retire', '-AbC'), 'goes after --');
  // After --, the value reaches the command as the kid (here unknown), not as an option.
  refusedWith(await cli.run('keys', 'retire', '--', '-AbC'), 'unknown key');
});

test('user add --name --email and user set change what OpenID Connect shares', async () => {
  jsonOf(await cli.run('user', 'add', '--username', 'ada', '--password', 'correct horse', '--name', 'Ada Lovelace', '--email', 'ada@example.com', '--json'));
  expect(jsonOf(await cli.run('user', 'set', 'ada', '--email', 'ada@analytical.example', '--json'))).toEqual({ username: 'ada', name: 'Ada Lovelace', email: 'ada@analytical.example' });
  expect(jsonOf(await cli.run('user', 'set', 'ada', '--name', '', '--json'))).toMatchObject({ name: null });
  refusedWith(await cli.run('user', 'set', 'ada', '--email', 'not-an-address'), 'email');
  refusedWith(await cli.run('user', 'set', 'nobody', '--name', 'x'), 'unknown user');
});

test('client add and set take the ID token algorithm and the access token format, and refuse others', async () => {
  const added = jsonOf(await cli.run('client', 'add', '--name', 'RP', '--grants', 'authorization_code', '--redirect-uri', 'https://rp.example/cb', '--id-token-alg', 'ES256', '--json'));
  expect(added).toMatchObject({ id_token_alg: 'ES256', access_token_format: 'opaque' });
  expect(jsonOf(await cli.run('client', 'set', added.client_id, '--access-token-format', 'jwt', '--json'))).toMatchObject({ id_token_alg: 'ES256', access_token_format: 'jwt' });
  refusedWith(await cli.run('client', 'set', added.client_id, '--id-token-alg', 'HS256'), '--id-token-alg');
  refusedWith(await cli.run('client', 'add', '--name', 'X', '--grants', 'password', '--access-token-format', 'paseto'), '--access-token-format');
});
