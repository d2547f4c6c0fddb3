import { MemoryCache } from '../../src/cache/memory';
import { manualClock } from '../../src/clock';
import { pushedReference } from '../../src/oauth2/authorize/pushed';
import { pushedParams } from '../../src/oauth2/endpoints/par';
import { OAuth2Error } from '../../src/oauth2/errors';
import { PUSHED_REQUEST_LIFETIME_SECONDS, pushRequest, takePushedRequest } from '../../src/oauth2/par/pushed-requests';

// RFC 9126's pieces without HTTP: what a pushed request keeps, how a request_uri is taken (once, by
// its own client, in time), and which authorization request names one.

const START = Date.UTC(2031, 0, 1);
const client = {
  clientId: 'web',
  enabled: true,
  redirectUris: ['https://app.example/cb'],
  grants: ['authorization_code'],
  implicit: false,
  scopes: ['read'],
  secretHash: 'scrypt$hash',
  allowPlainPkce: false,
};

describe('pushedParams', () => {
  test('keeps the request, names the authenticated client, drops the credentials', () => {
    const params = pushedParams(client, [['client_id', 'web'], ['client_secret', 's3cret'], ['response_type', 'code'], ['state', 'x']]);
    expect(params).toEqual([['client_id', 'web'], ['response_type', 'code'], ['state', 'x']]);
  });

  test.each([
    ['a scope the client does not have', [['response_type', 'code'], ['scope', 'admin']], 'invalid_scope'],
    ['an unregistered redirect_uri', [['response_type', 'code'], ['redirect_uri', 'https://evil.example/']], 'invalid_request'],
    ['an unsupported response_type (hybrid)', [['response_type', 'code id_token']], 'unsupported_response_type'],
  ] as Array<[string, Array<[string, string]>, string]>)('%s is the JSON error authorize would give', (_what, sent, code) => {
    let error: unknown;
    try {
      pushedParams(client, sent);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2Error).error).toBe(code);
  });
});

describe('pushed requests in the cache', () => {
  let cache: MemoryCache;
  const clock = manualClock(START);
  beforeEach(() => {
    cache = new MemoryCache({ clock });
  });
  afterEach(async () => {
    await cache.close();
  });

  test('taken once, by its own client', async () => {
    const { requestUri, expiresIn } = await pushRequest(cache, clock(), 'web', [['client_id', 'web']]);
    expect(expiresIn).toBe(PUSHED_REQUEST_LIFETIME_SECONDS);
    expect(await takePushedRequest(cache, clock(), requestUri, 'other')).toEqual({ refusal: 'other_client' });
    expect(await takePushedRequest(cache, clock(), requestUri, 'web')).toEqual({ params: [['client_id', 'web']] });
    expect(await takePushedRequest(cache, clock(), requestUri, 'web')).toEqual({ refusal: 'unknown' });
  });

  test("expired by the gateway's clock even while the cache still holds it (Redis keeps its own time)", async () => {
    const { requestUri } = await pushRequest(cache, clock(), 'web', []);
    const later = clock() + PUSHED_REQUEST_LIFETIME_SECONDS * 1000;
    expect(await takePushedRequest(cache, later, requestUri, 'web')).toEqual({ refusal: 'expired' });
  });

  test('anything not of the request_uri shape is malformed', async () => {
    expect(await takePushedRequest(cache, clock(), 'urn:ietf:params:oauth:request_uri:short', 'web')).toEqual({ refusal: 'malformed' });
    expect(await takePushedRequest(cache, clock(), 'https://evil.example/req', 'web')).toEqual({ refusal: 'malformed' });
  });
});

describe('pushedReference', () => {
  test('none without request_uri', () => {
    expect(pushedReference([['client_id', 'web']])).toBeNull();
  });

  test('client_id and request_uri, the rest ignored', () => {
    expect(pushedReference([['client_id', 'web'], ['request_uri', 'urn:x'], ['state', 's']])).toEqual({ clientId: 'web', requestUri: 'urn:x' });
  });

  test('a repeated request_uri names nothing', () => {
    expect(pushedReference([['client_id', 'web'], ['request_uri', 'a'], ['request_uri', 'b']])?.requestUri).toBe('');
  });
});
