import { GRANT_TYPES, GrantRegistry } from '../../src/oauth2/grants';
import { DEVICE_CODE_GRANT_TYPE } from '../../src/oauth2/device/codes';
import { Lockout } from '../../src/accounts/lockout';
import { SecretHashing } from '../../src/crypto';
import { refusedWith, useGrantWorld } from '../helpers/grants';

// The grants by grant_type, as the dispatcher builds them once over their collaborators.

const ctx = useGrantWorld();
let hashing: SecretHashing;
afterEach(() => hashing?.close());

function registry(): GrantRegistry {
  const { store, issuer, clock, revocations, cache, log } = ctx.world;
  hashing = new SecretHashing({ maxConcurrent: 1, maxQueued: 0 }, clock);
  const lockout = new Lockout(cache, { maxFailures: 5, maxFailuresPerAddress: 20, lockSeconds: 300 });
  return GrantRegistry.build({ store, issuer, clock, revocations, logger: log.logger, hashing, lockout, lifetimes: () => ({ accessToken: 3600, refreshToken: 3600 }) });
}

async function refusalFor(grantType: string | undefined): Promise<string> {
  return refusedWith(Promise.resolve().then(() => registry().grantFor(grantType)));
}

test('the built registry has a grant for every listed grant type, under its own name', () => {
  const grants = registry();
  for (const type of GRANT_TYPES) expect(grants.grantFor(type.grantType)).toMatchObject(type);
});

test('the supported grant types are the five of RFC 6749 and RFC 8628 the gateway implements, external_token (seed 004) and RFC 8693 token exchange', () => {
  expect(registry().grantTypes.sort()).toEqual(
    ['authorization_code', 'client_credentials', DEVICE_CODE_GRANT_TYPE, 'external_token', 'password', 'refresh_token', 'urn:ietf:params:oauth:grant-type:token-exchange'].sort(),
  );
});

test('a request without grant_type is invalid_request', async () => {
  expect(await refusalFor(undefined)).toBe('invalid_request');
});

test.each(['implicit', 'PASSWORD', 'urn:ietf:params:oauth:grant-type:jwt-bearer'])('grant_type %s is unsupported_grant_type', async (type) => {
  expect(await refusalFor(type)).toBe('unsupported_grant_type');
});
