import fs from 'node:fs';
import path from 'node:path';
import { cliRunner, type CliResult } from '../helpers/cli';

// How a consumer signs, from the CLI: consumer add --rsa-public-key (with --allow-1024-bit-key for
// old Jira links), --signature-methods and --requestor; consumer list and show display them.

const keys = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/oauth1-rsa-sha2-signatures.json'), 'utf8')).keys as Record<
  string,
  { private_key_pem: string; public_key_pem: string }
>;

const cli = cliRunner();
const file = (name: string, text: string) => {
  const p = path.join(cli.dataDir, name);
  fs.writeFileSync(p, text);
  return p;
};
let key2048: string;
let key1024: string;
let privateKey: string;

beforeAll(() => {
  key2048 = file('jira.pub', keys['jira-2048'].public_key_pem);
  key1024 = file('old-jira.pub', keys['jira-1024'].public_key_pem);
  privateKey = file('jira.pem', keys['jira-2048'].private_key_pem);
});
afterAll(() => cli.cleanup());

function json<T = any>(result: CliResult): T {
  expect(result.stderr.replace(/^warning: generated a new secret key in .*\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

function refusedWithOneLine(result: CliResult, mentions: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.replace(/^warning: generated a new secret key in .*\n/, '').trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(mentions);
}

test('consumer add --rsa-public-key registers the key; show prints it and list shows its size', async () => {
  const created = json(await cli.run('consumer', 'add', '--name', 'Jira', '--rsa-public-key', key2048, '--signature-methods', 'RSA-SHA1', '--json'));
  expect(created).toMatchObject({ signatureMethods: ['RSA-SHA1'], rsaKeyBits: 2048, requestor: false });
  const shown = json(await cli.run('consumer', 'show', created.key, '--json'));
  expect(shown).toMatchObject({ key: created.key, signatureMethods: ['RSA-SHA1'], rsaKeyBits: 2048 });
  expect(shown.rsaPublicKey).toBe(keys['jira-2048'].public_key_pem);
  expect(shown.secret).toBeUndefined();
  const listed = json<any[]>(await cli.run('consumer', 'list', '--json')).find((c) => c.key === created.key);
  expect(listed).toMatchObject({ signatureMethods: ['RSA-SHA1'], rsaKeyBits: 2048, requestor: false });
  const table = await cli.run('consumer', 'list');
  expect(table.stdout).toMatch(/METHODS\s+RSA\s+REQUESTOR/);
  expect(table.stdout).toContain('2048 bits');
});

test("without --signature-methods a consumer follows the gateway's list; --requestor is shown", async () => {
  const created = json(await cli.run('consumer', 'add', '--name', 'Sync', '--requestor', '--json'));
  expect(created).toMatchObject({ signatureMethods: null, rsaKeyBits: null, requestor: true });
  const text = await cli.run('consumer', 'show', created.key);
  expect(text.stdout).toContain("signature methods: the gateway's list");
  expect(text.stdout).toContain('requestor:         true');
});

test('a 1024-bit key needs --allow-1024-bit-key', async () => {
  refusedWithOneLine(await cli.run('consumer', 'add', '--name', 'Old Jira', '--rsa-public-key', key1024), '--allow-1024-bit-key');
  const created = json(await cli.run('consumer', 'add', '--name', 'Old Jira', '--rsa-public-key', key1024, '--allow-1024-bit-key', '--json'));
  expect(created.rsaKeyBits).toBe(1024);
});

test.each([
  [['--rsa-public-key', 'PRIVATE'], 'private key'],
  [['--rsa-public-key', '/no/such/key.pem'], 'cannot read /no/such/key.pem'],
  [['--signature-methods', 'HMAC-SHA1,RSA-SHA256'], 'unknown method RSA-SHA256'],
  [['--signature-methods', 'RSA-SHA1'], '--signature-methods names RSA-SHA1: give the consumer\'s key with --rsa-public-key'],
  [['--rsa-public-key', 'KEY', '--signature-methods', 'HMAC-SHA256'], 'leaves RSA-SHA1 out'],
  [['--allow-1024-bit-key'], '--allow-1024-bit-key needs --rsa-public-key'],
])('consumer add %j is refused with one line, exit 2, and writes nothing', async (flags, mentions) => {
  const args = flags.map((f) => (f === 'PRIVATE' ? privateKey : f === 'KEY' ? key2048 : f));
  const before = (await cli.run('consumer', 'list', '--json')).stdout;
  refusedWithOneLine(await cli.run('consumer', 'add', '--name', 'Refused', ...args), mentions);
  expect((await cli.run('consumer', 'list', '--json')).stdout).toBe(before);
});

test('the private key never reaches the output of a refusal', async () => {
  const result = await cli.run('consumer', 'add', '--name', 'Leaky', '--rsa-public-key', privateKey);
  expect(result.stderr).not.toContain(keys['jira-2048'].private_key_pem.split('\n')[1]);
});

test('consumer show of an unknown key is refused with one line', async () => {
  refusedWithOneLine(await cli.run('consumer', 'show', 'no-such-consumer'), 'unknown consumer "no-such-consumer"');
});
