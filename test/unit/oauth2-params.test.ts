import { ProtocolError } from '../../src/http/protocol-error';
import { OAuth2Error } from '../../src/oauth2/errors';
import { parseFlatJson } from '../../src/oauth2/flat-json';
import { TokenParams, pairsFromBody } from '../../src/oauth2/params';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

function refusal(fn: () => unknown): OAuth2Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuth2Error) return err;
    throw err;
  }
  throw new Error('expected an OAuth2Error');
}

describe('parseFlatJson', () => {
  test('reads a flat object of strings in order', () => {
    expect(parseFlatJson('{"grant_type": "password", "username": "qa"}')).toEqual([
      ['grant_type', 'password'],
      ['username', 'qa'],
    ]);
  });

  test('keeps a key that JSON.parse would silently collapse, so repeats can be refused', () => {
    expect(parseFlatJson('{"a":"1","a":"2"}')).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
  });

  test('decodes escapes in names and values', () => {
    expect(parseFlatJson('{"p\\u0061ss":"a\\"b\\\\c\\n"}')).toEqual([['pass', 'a"b\\c\n']]);
  });

  test('accepts an empty object and surrounding whitespace', () => {
    expect(parseFlatJson(' \n{ } \t')).toEqual([]);
  });

  test.each([
    ['not JSON', '{grant_type: password}'],
    ['an array', '["a"]'],
    ['a string', '"grant_type"'],
    ['null', 'null'],
    ['a number value', '{"expires": 5}'],
    ['a nested object', '{"a": {"b": "c"}}'],
    ['a null value', '{"a": null}'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseFlatJson(text)).toThrow(OAuth2Error);
  });
});

describe('pairsFromBody', () => {
  test('parses a form body', () => {
    expect(pairsFromBody(utf8('grant_type=password&username=a+b%21'), 'application/x-www-form-urlencoded', null)).toEqual([
      ['grant_type', 'password'],
      ['username', 'a b!'],
    ]);
  });

  test('parses a JSON body', () => {
    expect(pairsFromBody(utf8('{"grant_type":"client_credentials"}'), 'application/json', 'utf-8')).toEqual([
      ['grant_type', 'client_credentials'],
    ]);
  });

  test('an empty body has no parameters whatever its type', () => {
    expect(pairsFromBody(Buffer.alloc(0), '', null)).toEqual([]);
  });

  test('a bad percent-encoding is invalid_request', () => {
    let caught: unknown;
    try {
      pairsFromBody(utf8('a=%E0%A4%A'), 'application/x-www-form-urlencoded', null);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect([(caught as ProtocolError).code, (caught as ProtocolError).status]).toEqual(['invalid_request', 400]);
  });

  test('bad JSON is invalid_request with status 400', () => {
    const err = refusal(() => pairsFromBody(utf8('{"a":'), 'application/json', null));
    expect([err.error, err.status]).toEqual(['invalid_request', 400]);
  });

  test('an unsupported media type is invalid_request', () => {
    expect(refusal(() => pairsFromBody(utf8('grant_type=password'), 'text/plain', null)).error).toBe('invalid_request');
  });

  test('a charset other than UTF-8 is invalid_request', () => {
    expect(refusal(() => pairsFromBody(utf8('a=b'), 'application/x-www-form-urlencoded', 'iso-8859-1')).error).toBe('invalid_request');
  });

  test('bytes that are not UTF-8 are invalid_request', () => {
    expect(refusal(() => pairsFromBody(Buffer.from([0x61, 0x3d, 0xff]), 'application/x-www-form-urlencoded', null)).error).toBe(
      'invalid_request',
    );
  });
});

describe('TokenParams', () => {
  test('a repeated parameter is invalid_request naming it', () => {
    const err = refusal(() =>
      TokenParams.fromPairs([
        ['scope', 'a'],
        ['scope', 'b'],
      ]),
    );
    expect(err.error).toBe('invalid_request');
    expect(err.message).toContain('scope');
  });

  test('a parameter without a value counts as absent (RFC 6749 section 3.1)', () => {
    const params = TokenParams.fromPairs([['scope', '']]);
    expect(params.get('scope')).toBeUndefined();
  });

  test('require names the missing parameter', () => {
    const err = refusal(() => TokenParams.fromPairs([]).require('grant_type'));
    expect([err.error, err.message]).toEqual(['invalid_request', 'Missing parameter: grant_type.']);
  });
});
