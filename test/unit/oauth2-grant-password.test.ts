import { LockedOutError, Lockout } from '../../src/accounts/lockout';
import { HashingBusyError, SecretHashing, hashSecret } from '../../src/crypto';
import { passwordGrant } from '../../src/oauth2/grants';
import { LIFETIMES, START, accessRow, addClient, addUser, refreshRow, refusal, refusedWith, run, useGrantWorld } from '../helpers/grants';

// RFC 6749 section 4.3 over its narrow interface: the users (a real SQLite store), the bounded
// hashing, the shared lockout over a memory cache, the token issuer and a manual clock.

const PASSWORD = 'correct horse battery staple';
const LOCK_SECONDS = 300;
const ctx = useGrantWorld();
let passwordHash: string;
let hashing: SecretHashing;

beforeAll(async () => {
  passwordHash = await hashSecret(PASSWORD);
});
beforeEach(() => {
  hashing = new SecretHashing({ maxConcurrent: 2, maxQueued: 8 }, ctx.world.clock);
});
afterEach(() => hashing.close());

function grant() {
  const { store, cache, issuer, clock } = ctx.world;
  const lockout = new Lockout(cache, { maxFailures: 3, maxFailuresPerAddress: 100, lockSeconds: LOCK_SECONDS });
  return passwordGrant({ store, hashing, lockout, issuer, clock });
}

async function setup(clientOptions: Parameters<typeof addClient>[1] = {}) {
  const client = await addClient(ctx.store, { grants: ['password', 'refresh_token'], refresh: true, ...clientOptions });
  const user = await addUser(ctx.store, { passwordHash });
  return { client, user, login: { grant_type: 'password', username: user.username, password: PASSWORD } };
}

test('issues an access token and a refresh token for the user', async () => {
  const { client, user, login } = await setup();
  const issued = await run(grant(), client, { ...login, scope: 'read' });
  expect(issued).toMatchObject({ expiresIn: LIFETIMES.accessToken, scope: ['read'], userId: user.id });
  const access = await accessRow(ctx.store, issued.accessToken);
  expect(access).toMatchObject({ clientId: client.clientId, userId: user.id, grantType: 'password', expiresAt: START + LIFETIMES.accessToken * 1000 });
  expect(await refreshRow(ctx.store, issued.refreshToken!)).toMatchObject({
    familyId: access!.familyId,
    userId: user.id,
    scope: 'read',
    expiresAt: START + LIFETIMES.refreshToken * 1000,
  });
});

test('the username is matched without regard to case', async () => {
  const { client, user, login } = await setup();
  expect((await run(grant(), client, { ...login, username: user.username.toUpperCase() })).userId).toBe(user.id);
});

test('a client not registered for refresh tokens gets none', async () => {
  const { client, login } = await setup({ grants: ['password'] });
  const issued = await run(grant(), client, login);
  expect(issued.refreshToken).toBeNull();
  expect((await accessRow(ctx.store, issued.accessToken))?.familyId).toBeNull();
});

test('a wrong password, an unknown user and a disabled user are one invalid_grant', async () => {
  const { client, login } = await setup();
  const disabled = await addUser(ctx.store, { passwordHash, enabled: false });
  const answers = await Promise.all(
    [{ ...login, password: 'wrong' }, { ...login, username: 'nobody-here' }, { ...login, username: disabled.username }].map((values) =>
      refusal(run(grant(), client, values)),
    ),
  );
  expect(answers.map((e) => [e.error, e.status, e.message])).toEqual(Array(3).fill(['invalid_grant', 400, 'The username or password is incorrect.']));
});

test.each(['username', 'password'])('a missing %s is invalid_request', async (name) => {
  const { client, login } = await setup();
  const values: Record<string, string> = { ...login };
  delete values[name];
  expect(await refusedWith(run(grant(), client, values))).toBe('invalid_request');
});

test('a scope beyond the client registration is invalid_scope, before any password is checked', async () => {
  const { client, login } = await setup({ scopes: ['read'] });
  expect(await refusedWith(run(grant(), client, { ...login, scope: 'admin' }))).toBe('invalid_scope');
  expect(hashing.runs).toBe(0);
});

test('repeated failures lock the username (LockedOutError with the wait of the lock), even for the right password, until the lock ends', async () => {
  const { client, login } = await setup();
  const g = grant();
  for (let i = 0; i < 3; i++) expect(await refusedWith(run(g, client, { ...login, password: 'wrong' }))).toBe('invalid_grant');
  // The grant signals the lock-out; src/http/conditions.ts words it (429, Retry-After) for every format.
  const locked = await run(g, client, login).then(() => null, (err: unknown) => err);
  expect(locked).toBeInstanceOf(LockedOutError);
  expect((locked as LockedOutError).retryAfterSeconds).toBe(LOCK_SECONDS);
  ctx.world.clock.advance(LOCK_SECONDS * 1000);
  expect((await run(g, client, login)).accessToken).toEqual(expect.any(String));
});

test('when the hashing bound refuses work the grant refuses with HashingBusyError (answered 503 by the conditions mapping)', async () => {
  const { client, login } = await setup();
  hashing.close();
  await expect(run(grant(), client, login)).rejects.toBeInstanceOf(HashingBusyError);
});

test("the endpoint's admission policy sees the authenticated user", async () => {
  const { client, user, login } = await setup();
  const seen: unknown[] = [];
  await run(grant(), client, login, { admit: async (subject) => void seen.push(subject) });
  expect(seen).toEqual([{ client, user }]);
});
