import { randomBytes } from 'node:crypto';
import { addClient, addConsumer, addUser, setConsumerCallback, type AdminContext } from '../../src/accounts/admin';
import { InvalidInputError } from '../../src/accounts/validation';
import { SecretBox } from '../../src/crypto';
import { manualClock } from '../../src/clock';
import { openStore, type Store } from '../../src/storage';
import { tempDataDir, type TempDir } from '../helpers/sqlite';

// accounts/ is called by the CLI and by the demo seed: its errors name the fields of its input
// (`name`), never a flag of one interface (`--name`). The CLI's wording is in cli.test.ts.

let temp: TempDir;
let store: Store;
let ctx: AdminContext;
beforeAll(async () => {
  temp = tempDataDir('admin-errors');
  store = await openStore({ databaseUrl: null, dataDir: temp.dir });
  ctx = { store, secrets: new SecretBox(randomBytes(32)), clock: manualClock(Date.UTC(2030, 0, 1)) };
});
afterAll(async () => {
  await store.close();
  temp.remove();
});

async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInputError);
  return err as InvalidInputError;
}

test.each([
  ['a client without a name', () => addClient(ctx, { grants: 'password' }), 'name is required'],
  ['a client without grants', () => addClient(ctx, { name: 'X', grants: '' }), 'grants needs at least one grant'],
  ['a bad access token lifetime', () => addClient(ctx, { name: 'X', grants: 'password', accessTtl: 'soon' }), 'accessTtl must be a positive whole number of seconds'],
  ['a code lifetime over ten minutes', () => addClient(ctx, { name: 'X', grants: 'password', codeTtl: '601' }), 'codeTtl must be at most 600 seconds'],
  ['a client_id with a colon', () => addClient(ctx, { name: 'X', grants: 'password', id: 'a:b' }), 'id must be 1 to 64 visible ASCII characters without a colon'],
  ['a code client without redirect URIs', () => addClient(ctx, { name: 'X', grants: 'authorization_code' }), 'authorization_code and implicit clients need at least one redirect URI (redirectUris)'],
  ['a user without a password', () => addUser(ctx, { username: 'bob' }), 'password is required'],
  ['a user without a username', () => addUser(ctx, { username: ' ', password: 'longenough' }), 'username is required'],
  ['a match mode without a callback', () => addConsumer(ctx, { name: 'X', callbackMatch: 'exact' }), 'callbackMatch needs callback'],
  ['an unknown match mode', () => addConsumer(ctx, { name: 'X', callback: 'oob', callbackMatch: 'loose' }), 'callbackMatch must be prefix or exact'],
])('%s: the error names the field', async (_case, attempt, message) => {
  const err = await refusal(attempt());
  expect(err.message).toBe(message);
  expect(err.message).not.toContain('--');
});

test('nothing to change names the fields, and false for a removal', async () => {
  const { consumer } = await addConsumer(ctx, { name: 'Unchanged' });
  const err = await refusal(setConsumerCallback(ctx, consumer.key, {}));
  expect(err.message).toBe('nothing to change: give callback, callback: false or callbackMatch');
});

test('describe() names the fields as the caller asks', async () => {
  const err = await refusal(addClient(ctx, { name: 'X', grants: 'password', refreshTtl: '0' }));
  expect(err.describe((field) => `<${field}>`)).toBe('<refreshTtl> must be a positive whole number of seconds');
});
