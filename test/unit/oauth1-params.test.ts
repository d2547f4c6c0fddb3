import { MalformedEncodingError } from '../../src/http/form';
import { renderOAuth1Problem } from '../../src/http/render/oauth1-problem-form';
import {
  DuplicateParameter,
  MalformedHeader,
  collectParameters,
  isFormContentType,
  parseAuthorizationHeader,
  parseFormEncoded,
} from '../../src/oauth1/params';
import { OAuth1Problem } from '../../src/oauth1/problems';

describe('parseAuthorizationHeader', () => {
  test('excludes realm from the parameters and returns it separately', () => {
    const parsed = parseAuthorizationHeader('OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03"');
    expect(parsed).toEqual({ params: [['oauth_consumer_key', 'dpf43f3p2l4k3l03']], realm: 'Photos' });
  });

  test('returns a null realm when there is none', () => {
    expect(parseAuthorizationHeader('OAuth oauth_nonce="n"')?.realm).toBeNull();
  });

  test('accepts the scheme name in any case', () => {
    expect(parseAuthorizationHeader('oauth oauth_nonce="n"')?.params).toEqual([['oauth_nonce', 'n']]);
  });

  test('tolerates whitespace and tabs around names, equals signs and commas', () => {
    const parsed = parseAuthorizationHeader('OAuth   oauth_nonce = "n" ,\toauth_token="t"  ,oauth_version="1.0"  ');
    expect(parsed?.params).toEqual([
      ['oauth_nonce', 'n'],
      ['oauth_token', 't'],
      ['oauth_version', '1.0'],
    ]);
  });

  test('tolerates empty list elements and a trailing comma', () => {
    expect(parseAuthorizationHeader('OAuth oauth_nonce="n",, oauth_token="t",')?.params).toEqual([
      ['oauth_nonce', 'n'],
      ['oauth_token', 't'],
    ]);
  });

  test('percent-decodes values exactly once', () => {
    const parsed = parseAuthorizationHeader('OAuth oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", oauth_callback="a%2520b"');
    expect(parsed?.params).toEqual([
      ['oauth_signature', 'tR3+Ty81lMeYAr/Fid0kMTYa/WM='],
      ['oauth_callback', 'a%20b'],
    ]);
  });

  test('keeps a literal plus sign in a header value (header values are not form-encoded)', () => {
    expect(parseAuthorizationHeader('OAuth oauth_signature="a+b"')?.params).toEqual([['oauth_signature', 'a+b']]);
  });

  test('reads an empty quoted value as an empty string', () => {
    expect(parseAuthorizationHeader('OAuth oauth_token=""')?.params).toEqual([['oauth_token', '']]);
  });

  test('unescapes a quoted-pair in the realm', () => {
    expect(parseAuthorizationHeader('OAuth realm="say \\"hi\\"", oauth_nonce="n"')?.realm).toBe('say "hi"');
  });

  test('accepts the bare scheme with no parameters', () => {
    expect(parseAuthorizationHeader('OAuth')).toEqual({ params: [], realm: null });
  });

  test.each([['Basic dXNlcjpwYXNz'], ['Bearer abc.def'], ['OAuthX oauth_nonce="n"'], [''], [undefined], [null]])(
    'ignores a header that is not the OAuth scheme: %p',
    (header) => {
      expect(parseAuthorizationHeader(header)).toBeNull();
    },
  );

  test('rejects a parameter repeated inside the header with DuplicateParameter naming it', () => {
    let caught: unknown;
    try {
      parseAuthorizationHeader('OAuth oauth_nonce="a", oauth_token="t", oauth_nonce="b"');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DuplicateParameter);
    expect((caught as DuplicateParameter).names).toEqual(['oauth_nonce']);
  });

  test('rejects a repeated realm', () => {
    expect(() => parseAuthorizationHeader('OAuth realm="a", realm="b"')).toThrow(DuplicateParameter);
  });

  test.each([
    ['a value without quotes', 'OAuth oauth_nonce=abc'],
    ['an unterminated quoted value', 'OAuth oauth_nonce="abc'],
    ['a name without a value', 'OAuth oauth_nonce'],
    ['a name followed by garbage', 'OAuth oauth_nonce?="a"'],
    ['two parameters without a comma', 'OAuth oauth_nonce="a" oauth_token="b"'],
    ['garbage after a value', 'OAuth oauth_nonce="a"x, oauth_token="b"'],
    ['a value with malformed percent-encoding', 'OAuth oauth_nonce="a%zz"'],
    ['a value with invalid UTF-8', 'OAuth oauth_nonce="%C3"'],
    ['an equals sign without a name', 'OAuth ="a"'],
    ['a trailing backslash inside quotes', 'OAuth oauth_nonce="a\\'],
  ])('throws MalformedHeader for %s', (_label, header) => {
    expect(() => parseAuthorizationHeader(header)).toThrow(MalformedHeader);
  });

  test('MalformedHeader is a 400 parameter_rejected problem', () => {
    const err = new MalformedHeader();
    expect([err instanceof OAuth1Problem, err.problem, err.status]).toEqual([true, 'parameter_rejected', 400]);
  });
});

describe('parseFormEncoded', () => {
  test('reads + as a space and decodes once', () => {
    expect(parseFormEncoded('a3=2+q&b5=%3D%253D', 'query')).toEqual([
      ['a3', '2 q'],
      ['b5', '=%3D'],
    ]);
  });

  test('gives a name without = an empty value', () => {
    expect(parseFormEncoded('c2&c%40=', 'body')).toEqual([
      ['c2', ''],
      ['c@', ''],
    ]);
  });

  test('splits on the first = only', () => {
    expect(parseFormEncoded('a=b=c', 'query')).toEqual([['a', 'b=c']]);
  });

  test('skips empty segments', () => {
    expect(parseFormEncoded('&a=1&&b=2&', 'query')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  test('keeps repeated names in order', () => {
    expect(parseFormEncoded('a=2&a=1', 'query')).toEqual([
      ['a', '2'],
      ['a', '1'],
    ]);
  });

  test('decodes UTF-8', () => {
    expect(parseFormEncoded('n=M%C3%BCller&e=%F0%9F%98%80', 'query')).toEqual([
      ['n', 'Müller'],
      ['e', '😀'],
    ]);
  });

  test('throws MalformedEncodingError for malformed percent-encoding: a 400 reported as parameter_rejected', () => {
    expect(() => parseFormEncoded('a=%E2%82', 'body')).toThrow(MalformedEncodingError);
    expect(() => parseFormEncoded('a=%E2%82', 'body')).toThrow('The form body has a malformed percent-encoding.');
    const report = renderOAuth1Problem(new MalformedEncodingError('form body'), { realm: 'r' });
    expect([report.status, report.body]).toEqual([400, 'oauth_problem=parameter_rejected&oauth_problem_advice=The%20form%20body%20has%20a%20malformed%20percent-encoding.']);
  });
});

describe('isFormContentType', () => {
  test.each([
    ['application/x-www-form-urlencoded', true],
    ['application/x-www-form-urlencoded; charset=UTF-8', true],
    ['Application/X-WWW-Form-URLEncoded;charset=utf-8', true],
    ['application/json', false],
    ['multipart/form-data; boundary=xyz', false],
    ['text/plain', false],
    ['application/x-www-form-urlencoded-extra', false],
    ['', false],
    [undefined, false],
  ])('%p -> %p', (contentType, expected) => {
    expect(isFormContentType(contentType)).toBe(expected);
  });
});

describe('collectParameters', () => {
  const header = 'OAuth realm="Example", oauth_consumer_key="ck", oauth_nonce="n1"';

  test('collects header, form body and query together', () => {
    const collected = collectParameters({
      authorization: header,
      contentType: 'application/x-www-form-urlencoded',
      body: 'b=2',
      query: 'q=3',
    });
    expect(collected.pairs).toEqual([
      ['oauth_consumer_key', 'ck'],
      ['oauth_nonce', 'n1'],
      ['b', '2'],
      ['q', '3'],
    ]);
  });

  test('returns the realm from the header', () => {
    expect(collectParameters({ authorization: header }).realm).toBe('Example');
  });

  test('maps the protocol parameters by name', () => {
    const collected = collectParameters({ authorization: header, query: 'x_auth_mode=client_auth&a=1' });
    expect(collected.protocol).toEqual({ oauth_consumer_key: 'ck', oauth_nonce: 'n1', x_auth_mode: 'client_auth' });
  });

  test('records the source of each protocol parameter', () => {
    const collected = collectParameters({
      authorization: 'OAuth oauth_consumer_key="ck"',
      contentType: 'application/x-www-form-urlencoded',
      body: 'x_auth_username=alice&x_auth_password=p%40ss',
      query: 'oauth_nonce=n',
    });
    expect(collected.sources).toEqual({
      oauth_consumer_key: 'header',
      x_auth_username: 'body',
      x_auth_password: 'body',
      oauth_nonce: 'query',
    });
  });

  test('reads a form body with a charset parameter', () => {
    const collected = collectParameters({ contentType: 'application/x-www-form-urlencoded; charset=utf-8', body: 'a=1' });
    expect(collected.pairs).toEqual([['a', '1']]);
  });

  test('does not collect a JSON body', () => {
    const collected = collectParameters({ contentType: 'application/json', body: 'oauth_nonce=n&a=1' });
    expect(collected.pairs).toEqual([]);
  });

  test('does not collect a multipart body', () => {
    const collected = collectParameters({ contentType: 'multipart/form-data; boundary=x', body: 'oauth_nonce=n' });
    expect(collected.pairs).toEqual([]);
  });

  test('does not collect a body without a content type', () => {
    expect(collectParameters({ body: 'oauth_nonce=n' }).pairs).toEqual([]);
  });

  test('ignores a non-OAuth Authorization header', () => {
    const collected = collectParameters({ authorization: 'Basic dXNlcjpwYXNz', query: 'a=1' });
    expect([collected.pairs, collected.realm]).toEqual([[['a', '1']], null]);
  });

  test('keeps a non-protocol name repeated across query and body', () => {
    const collected = collectParameters({
      contentType: 'application/x-www-form-urlencoded',
      body: 'c2&a3=2+q',
      query: 'a3=a',
    });
    expect(collected.pairs.filter(([name]) => name === 'a3')).toEqual([
      ['a3', '2 q'],
      ['a3', 'a'],
    ]);
  });

  test('keeps a non-protocol name repeated within the query', () => {
    expect(collectParameters({ query: 'a=1&a=2' }).pairs).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });

  test.each([
    ['header and query', { authorization: 'OAuth oauth_nonce="a"', query: 'oauth_nonce=b' }],
    [
      'header and body',
      { authorization: 'OAuth oauth_token="a"', contentType: 'application/x-www-form-urlencoded', body: 'oauth_token=a' },
    ],
    ['body and query', { contentType: 'application/x-www-form-urlencoded', body: 'oauth_nonce=a', query: 'oauth_nonce=a' }],
    ['within the query', { query: 'oauth_nonce=a&oauth_nonce=b' }],
    ['within the body', { contentType: 'application/x-www-form-urlencoded', body: 'oauth_nonce=a&oauth_nonce=a' }],
  ])('rejects a protocol parameter repeated %s', (_label, input) => {
    expect(() => collectParameters(input)).toThrow(DuplicateParameter);
  });

  test('rejects a repeated x_auth_ parameter', () => {
    expect(() =>
      collectParameters({
        contentType: 'application/x-www-form-urlencoded',
        body: 'x_auth_password=a',
        query: 'x_auth_password=b',
      }),
    ).toThrow(DuplicateParameter);
  });

  test('names every repeated protocol parameter in the error', () => {
    let caught: unknown;
    try {
      collectParameters({ authorization: 'OAuth oauth_nonce="a", oauth_token="t"', query: 'oauth_nonce=b&oauth_token=t&a=1&a=2' });
    } catch (err) {
      caught = err;
    }
    expect((caught as DuplicateParameter).names).toEqual(['oauth_nonce', 'oauth_token']);
  });

  test('reports a duplicate as a 400 parameter_rejected problem listing the names', () => {
    const err = new DuplicateParameter(['oauth_nonce', 'oauth_token']);
    expect([err.problem, err.status, renderOAuth1Problem(err, { realm: 'r' }).body]).toEqual([
      'parameter_rejected',
      400,
      'oauth_problem=parameter_rejected&oauth_problem_advice=Parameter%20given%20more%20than%20once%3A%20oauth_nonce%2C%20oauth_token.' +
        '&oauth_parameters_rejected=oauth_nonce%26oauth_token',
    ]);
  });

  test('throws MalformedHeader for a malformed OAuth header even when the query is fine', () => {
    expect(() => collectParameters({ authorization: 'OAuth oauth_nonce=bare', query: 'a=1' })).toThrow(MalformedHeader);
  });

  test('throws MalformedEncodingError for a query with a stray percent sign', () => {
    expect(() => collectParameters({ query: 'a=100%' })).toThrow(MalformedEncodingError);
  });
});
