import { callbackDestination, callbackRefusal, registrationProblem, type CallbackRegistration } from '../../src/oauth1/callback';
import { callbackWith } from '../../src/oauth1/endpoints/user-auth';

// Where user_auth sends the browser: the callback from request_token plus oauth_token and
// oauth_verifier (or the denial), its own query and fragment kept as they were.

const answer = [['oauth_token', 'a b'], ['oauth_verifier', 'v/1']] as const;

test.each([
  ['https://c.example/cb', 'https://c.example/cb?oauth_token=a%20b&oauth_verifier=v%2F1'],
  ['https://c.example/cb?x=%20y+z', 'https://c.example/cb?x=%20y+z&oauth_token=a%20b&oauth_verifier=v%2F1'],
  ['https://c.example/cb?', 'https://c.example/cb?oauth_token=a%20b&oauth_verifier=v%2F1'],
  ['https://c.example/cb?x=1&', 'https://c.example/cb?x=1&oauth_token=a%20b&oauth_verifier=v%2F1'],
  ['https://c.example/cb#done', 'https://c.example/cb?oauth_token=a%20b&oauth_verifier=v%2F1#done'],
  ['myapp://callback', 'myapp://callback?oauth_token=a%20b&oauth_verifier=v%2F1'],
])('callbackWith(%s) keeps the callback query and fragment', (callback, expected) => {
  expect(callbackWith(callback, answer)).toBe(expected);
});

const none: CallbackRegistration = { callbackUrl: null, callbackMatch: 'prefix' };
const prefix = (callbackUrl: string): CallbackRegistration => ({ callbackUrl, callbackMatch: 'prefix' });
const exact = (callbackUrl: string): CallbackRegistration => ({ callbackUrl, callbackMatch: 'exact' });

describe('a consumer registered without a callback (RFC 5849: each request names its own)', () => {
  test.each(['oob', 'https://c.example/cb', 'http://127.0.0.1:8080/cb?x=1', 'HTTPS://C.example/cb'])('accepts %s', (value) => {
    expect(callbackRefusal(value, none)).toBeNull();
  });

  test.each([
    '', 'OOB', 'javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'ftp://c.example/', 'myapp://cb',
    '/relative', '//c.example/cb', 'https:c.example/cb', 'https:///cb', 'https://c.example/a b', 'https://c.example/\ncb',
    'https://c.example/\u00e9', `https://c.example/${'a'.repeat(2048)}`,
  ])('refuses %j', (value) => {
    expect(callbackRefusal(value, none)).toEqual(expect.any(String));
  });
});

describe('prefix match', () => {
  const reg = prefix('https://app.example/oauth/cb');

  test.each([
    'oob',
    'https://app.example/oauth/cb',
    'https://app.example/oauth/cb?state=1',
    'https://app.example/oauth/cb#frag',
    'https://app.example/oauth/cb/',
    'https://app.example/oauth/cb/deeper/still',
    'https://APP.EXAMPLE/oauth/cb',
    'https://app.example:443/oauth/cb',
    'https://app.example/oauth/cb/./x',
  ])('accepts %s', (value) => {
    expect(callbackRefusal(value, reg)).toBeNull();
  });

  test.each([
    'https://evil.example/oauth/cb',
    'https://evil.app.example/oauth/cb',
    'https://app.example.evil.example/oauth/cb',
    'https://app.example@evil.example/oauth/cb',
    'https://user@app.example/oauth/cb',
    'http://app.example/oauth/cb',
    'https://app.example:8443/oauth/cb',
    'https://app.example/oauth/cbx',
    'https://app.example/oauth',
    'https://app.example/OAUTH/cb',
    'https://app.example/oauth/cb/../../x',
    'https://app.example/oauth/cb/%2e%2e/x',
    'https://app.example/oauth/cb/%2E%2E/x',
    'https://app.example/oauth/cb/.%2e/x',
    'https://app.example/oauth/cb%2f..%2fx',
    'https://app.example/oauth/cb/%2fx',
    'https://app.example/oauth/cb/%5c..%5cx',
    'https://app.example/oauth/cb\\..\\..\\x',
    'myapp://app.example/oauth/cb',
    'javascript://app.example/oauth/cb%0aalert(1)',
    'https:app.example/oauth/cb',
  ])('refuses %s', (value) => {
    expect(callbackRefusal(value, reg)).toMatch(/registered/);
  });

  test('a registration ending in / covers everything below it, and only that', () => {
    expect(callbackRefusal('https://app.example/a/b', prefix('https://app.example/a/'))).toBeNull();
    expect(callbackRefusal('https://app.example/ab', prefix('https://app.example/a/'))).not.toBeNull();
  });

  test('a bare origin covers the whole origin', () => {
    expect(callbackRefusal('https://app.example/anything?x=1', prefix('https://app.example'))).toBeNull();
    expect(callbackRefusal('https://app.example.evil/anything', prefix('https://app.example'))).not.toBeNull();
  });

  test('a port is part of the origin', () => {
    expect(callbackRefusal('http://127.0.0.1:9000/cb', prefix('http://127.0.0.1:9000/cb'))).toBeNull();
    expect(callbackRefusal('http://127.0.0.1:9001/cb', prefix('http://127.0.0.1:9000/cb'))).not.toBeNull();
  });
});

describe('native apps (custom schemes)', () => {
  test.each([
    ['myapp://callback', 'myapp://callback'],
    ['myapp://callback', 'myapp://callback/done'],
    ['myapp://callback', 'myapp://callback?x=1'],
    ['com.example.app:/oauth', 'com.example.app:/oauth'],
    ['com.example.app:/oauth', 'com.example.app:/oauth/x'],
  ])('registered %s accepts %s', (registered, value) => {
    expect(callbackRefusal(value, prefix(registered))).toBeNull();
  });

  test.each([
    ['myapp://callback', 'otherapp://callback'],
    ['myapp://callback', 'myapp://elsewhere'],
    ['myapp://callback', 'https://callback/'],
    ['com.example.app:/oauth', 'com.example.app:/oauthx'],
    ['com.example.app:/oauth', 'com.example.evil:/oauth'],
  ])('registered %s refuses %s', (registered, value) => {
    expect(callbackRefusal(value, prefix(registered))).not.toBeNull();
  });
});

describe('exact match', () => {
  const reg = exact('https://app.example/oauth/cb');
  test.each(['oob', 'https://app.example/oauth/cb'])('accepts %s', (value) => {
    expect(callbackRefusal(value, reg)).toBeNull();
  });
  test.each(['https://app.example/oauth/cb?x=1', 'https://app.example/oauth/cb/', 'https://APP.example/oauth/cb', 'https://app.example/oauth/cb#f'])('refuses %s', (value) => {
    expect(callbackRefusal(value, reg)).toMatch(/exactly/);
  });
});

test('a consumer registered with oob accepts oob and nothing else', () => {
  expect(callbackRefusal('oob', prefix('oob'))).toBeNull();
  expect(callbackRefusal('https://app.example/cb', prefix('oob'))).toMatch(/oob only/);
});

describe('registrationProblem', () => {
  test.each(['oob', 'https://app.example/cb', 'http://127.0.0.1:9000/cb?x=1', 'myapp://callback', 'com.example.app:/oauth'])('%s can be registered', (value) => {
    expect(registrationProblem(value)).toBeNull();
  });

  test.each([
    'javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'blob:https://a/b', 'about:blank',
    'view-source:https://a/', 'not a url', '/relative', 'https:app.example', 'https://app.example/cb#frag', 'https://app.example/é', 'OOB', '',
  ])('%j cannot be registered', (value) => {
    expect(registrationProblem(value)).toEqual(expect.any(String));
  });
});

describe('callbackDestination (shown on the consent page)', () => {
  test.each([
    ['oob', null],
    ['https://app.example/cb?x=1', 'app.example'],
    ['https://APP.example:443/cb', 'app.example'],
    ['http://127.0.0.1:9000/cb', '127.0.0.1:9000'],
    ['https://bücher.example/cb', null], // not printable ASCII: never accepted, never shown
    ['https://xn--bcher-kva.example/cb', 'xn--bcher-kva.example'],
    ['myapp://callback/x', 'myapp://callback'],
    ['com.example.app:/oauth', 'com.example.app:'],
  ])('%s -> %s', (callback, shown) => {
    expect(callbackDestination(callback)).toBe(shown);
  });
});
