import { acceptableCallback } from '../../src/oauth1/endpoints/request-token';
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
])('callbackWith(%s) keeps the callback query and fragment', (callback, expected) => {
  expect(callbackWith(callback, answer)).toBe(expected);
});

test.each(['oob', 'https://c.example/cb', 'http://127.0.0.1:8080/cb?x=1'])('%s is an acceptable callback', (value) => {
  expect(acceptableCallback(value)).toBe(true);
});

test.each(['', 'OOB', 'javascript:alert(1)', 'ftp://c.example/', '/relative', 'https://c.example/a b', 'https://c.example/\ncb', `https://c.example/${'a'.repeat(2048)}`])(
  '%j is refused as a callback',
  (value) => {
    expect(acceptableCallback(value)).toBe(false);
  },
);
