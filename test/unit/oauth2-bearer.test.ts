import { challengeHeader } from '../../src/http/render/challenge';
import { BearerError } from '../../src/oauth2/bearer';

// The Bearer challenge a refusal carries, as the renderers write it.
const challenge = (err: BearerError) => challengeHeader(err.challenges[0], err);
import { MalformedBearerError, extractBearer } from '../../src/oauth2/bearer-credential';

const header = (authorization: string | undefined) => ({ authorization, queryTokens: [], queryAllowed: false });

describe('extractBearer', () => {
  test('reads the token from Authorization: Bearer', () => {
    expect(extractBearer(header('Bearer abc-._~+/def=='))).toBe('abc-._~+/def==');
  });

  test('the scheme name is case-insensitive', () => {
    expect(extractBearer(header('bearer abc'))).toBe('abc');
  });

  test('no header, or another scheme, is no bearer credential at all', () => {
    expect(extractBearer(header(undefined))).toBeNull();
    expect(extractBearer(header('OAuth oauth_consumer_key="k"'))).toBeNull();
    expect(extractBearer(header('Basic YTpi'))).toBeNull();
  });

  test.each([
    ['an empty token', 'Bearer '],
    ['two words', 'Bearer abc def'],
    ['characters outside b64token', 'Bearer ab"c'],
    ['padding in the middle', 'Bearer ab=c'],
  ])('%s is malformed', (_label, value) => {
    expect(() => extractBearer(header(value))).toThrow(MalformedBearerError);
  });

  test('the query is ignored unless allowed', () => {
    expect(extractBearer({ authorization: undefined, queryTokens: ['abc'], queryAllowed: false })).toBeNull();
  });

  test('the query is read when allowed', () => {
    expect(extractBearer({ authorization: undefined, queryTokens: ['abc'], queryAllowed: true })).toBe('abc');
  });

  test('a token in the header and the query is malformed', () => {
    expect(() => extractBearer({ authorization: 'Bearer abc', queryTokens: ['abc'], queryAllowed: true })).toThrow(MalformedBearerError);
  });

  test('two query tokens are malformed', () => {
    expect(() => extractBearer({ authorization: undefined, queryTokens: ['a', 'b'], queryAllowed: true })).toThrow(MalformedBearerError);
  });
});

describe('BearerError challenge', () => {
  test('without a credential the challenge has only the realm (RFC 6750 section 3.1)', () => {
    expect(challenge(BearerError.missing('api'))).toBe('Bearer realm="api"');
  });

  test('a bad token names invalid_token with a description', () => {
    expect(challenge(new BearerError(401, 'invalid_token', 'The access token has expired.', 'api'))).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token has expired."',
    );
  });

  test('insufficient_scope names the scope needed', () => {
    const err = BearerError.insufficientScope('api', ['posts_read', 'posts_write']);
    expect(err.status).toBe(403);
    expect(challenge(err)).toContain('error="insufficient_scope"');
    expect(challenge(err)).toContain('scope="posts_read posts_write"');
  });

  test('quotes in the realm are escaped', () => {
    expect(challenge(BearerError.missing('a "b" \\c'))).toBe('Bearer realm="a \\"b\\" \\\\c"');
  });
});
