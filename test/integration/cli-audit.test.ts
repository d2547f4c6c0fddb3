import os from 'node:os';
import { cliRunner, jsonOf, refusedWith } from '../helpers/cli';
import { startAdminApiGateway, type AdminApiGateway } from '../helpers/admin-api';

// CLI changes land in the audit log beside the admin API's and the console's (source `cli`, the OS
// user as actor), read back over real HTTP with GET /audit?source=. The CLI runs in this process
// against the gateway's own database (SQLite data dir, or its PostgreSQL schema) and secret key.

jest.setTimeout(60_000);

const osUser = (() => {
  try {
    return os.userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
})();

describe.each(['sqlite', 'postgres'] as const)('on %s', (database) => {
  let a: AdminApiGateway;
  let cli: ReturnType<typeof cliRunner>;
  beforeAll(async () => {
    a = await startAdminApiGateway({ database });
    const schema = a.gw.shared.schema;
    const env: Record<string, string> = { GATEWAY_DATA_DIR: a.gw.shared.dataDir as string, GATEWAY_SECRET_KEY: a.gw.shared.secretKey.toString('hex') };
    if (schema) env.GATEWAY_DATABASE_URL = `${schema.url}${schema.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
    cli = cliRunner(env);
  });
  afterAll(async () => {
    cli?.cleanup();
    await a?.gw.close();
  });

  test('a CLI change is recorded with source cli, the OS user as actor, no client and no address', async () => {
    jsonOf(await cli.run('user', 'add', '--username', 'cli-made', '--password', 'a long password', '--json'));
    jsonOf(await cli.run('user', 'disable', 'cli-made', '--json'));
    const audit = await a.api('GET', '/audit?source=cli&target=cli-made');
    expect(audit.status).toBe(200);
    expect(audit.json.items).toEqual([
      expect.objectContaining({ operation: 'disableUser', target_kind: 'user', target: 'cli-made', actor: osUser, actor_client: null, address: null, outcome: 'success', source: 'cli' }),
      expect.objectContaining({ operation: 'createUser', target_kind: 'user', target: 'cli-made', actor: osUser, outcome: 'success', source: 'cli' }),
    ]);
  });

  test('a refused command is recorded as refused', async () => {
    refusedWith(await cli.run('consumer', 'disable', 'no-such-consumer'), 'unknown consumer');
    const audit = await a.api('GET', '/audit?source=cli&target=no-such-consumer');
    expect(audit.json.items).toEqual([expect.objectContaining({ operation: 'disableConsumer', target_kind: 'consumer', outcome: 'refused', source: 'cli' })]);
  });

  test('a created account is named by its new id; no secret reaches the log', async () => {
    const consumer = jsonOf(await cli.run('consumer', 'add', '--name', 'From the shell', '--json'));
    const client = jsonOf(await cli.run('client', 'add', '--name', 'Shell client', '--grants', 'client_credentials', '--json'));
    const rotated = jsonOf(await cli.run('client', 'rotate-secret', client.client_id, '--grace', '60', '--json'));
    const audit = await a.api('GET', '/audit?source=cli&limit=200');
    const entries = audit.json.items.map((e: any) => `${e.operation}:${e.target}`);
    expect(entries).toEqual(expect.arrayContaining([`createConsumer:${consumer.key}`, `createClient:${client.client_id}`, `rotateClientSecret:${client.client_id}`]));
    for (const secret of [consumer.secret, client.client_secret, rotated.client_secret]) expect(audit.text).not.toContain(secret);
  });

  test('the source filter separates the channels: API changes are api, not cli', async () => {
    expect((await a.api('POST', '/profiles', { body: { name: 'made-over-api' } })).status).toBe(201);
    jsonOf(await cli.run('profile', 'add', '--name', 'made-in-shell', '--json'));
    const api = (await a.api('GET', '/audit?source=api&target_kind=profile')).json.items.map((e: any) => e.target);
    const shell = (await a.api('GET', '/audit?source=cli&target_kind=profile')).json.items.map((e: any) => e.target);
    expect(api).toContain('made-over-api');
    expect(api).not.toContain('made-in-shell');
    expect(shell).toEqual(['made-in-shell']);
    const all = (await a.api('GET', '/audit?target_kind=profile')).json.items.map((e: any) => `${e.source}:${e.target}`);
    expect(all).toEqual(expect.arrayContaining(['api:made-over-api', 'cli:made-in-shell']));
  });

  test('an unknown source is refused with a Problem', async () => {
    const res = await a.api('GET', '/audit?source=shell');
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('invalid_input');
  });
});
