import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { baseStringUri, normalizeParameters, signatureBaseString } from '../../src/oauth1/base-string';
import { percentEncode } from '../../src/oauth1/encoding';
import { collectParameters, type Pair } from '../../src/oauth1/params';
import { sign } from '../../src/oauth1/signature';

/**
 * Expectations come from the oauth-1.0a package, an independent implementation, so these tests
 * do not merely echo our own code. It is given decoded values (repeated names as arrays) and a URL
 * without a query, the one shape in which it follows RFC 5849 exactly.
 */
const consumer = { key: 'dpf43f3p2l4k3l03', secret: 'kd94 hf93+k423!kf44' };
const token = { key: 'nnch734d00sl2jdk', secret: 'pfkk dhi9&sl3r4s00' };
const reference = new OAuth({
  consumer,
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

const uri = 'https://photos.example.net/photos';
const oauthParams = () => ({
  oauth_consumer_key: consumer.key,
  oauth_token: token.key,
  oauth_nonce: 'kllo9940pd9333jh',
  oauth_signature_method: 'HMAC-SHA1',
  oauth_timestamp: 1191242096,
  oauth_version: '1.0',
});

function referenceData(pairs: Pair[]): Record<string, string | string[]> {
  const data: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const prev = data[name];
    data[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return data;
}

/** Sends `pairs` the way a client would: percent-encoded in the query, oauth_* in the header. */
function ours(pairs: Pair[], method = 'POST') {
  const header =
    'OAuth ' +
    Object.entries(oauthParams())
      .map(([k, v]) => `${k}="${percentEncode(String(v))}"`)
      .join(', ');
  const query = pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const collected = collectParameters({ authorization: header, query });
  const baseString = signatureBaseString({ method, uri, params: collected.pairs });
  return {
    baseString,
    signature: sign({ method: 'HMAC-SHA1', baseString, consumerSecret: consumer.secret, tokenSecret: token.secret }),
  };
}

function theirs(pairs: Pair[], method = 'POST') {
  const request = { url: uri, method, data: referenceData(pairs) };
  return {
    baseString: reference.getBaseString(request, oauthParams()),
    signature: reference.getSignature(request, token.secret, oauthParams()),
  };
}

describe('signature base string and signature agree with oauth-1.0a', () => {
  const cases: Array<[string, Pair[]]> = [
    ['a value with a space', [['q', 'hello world']]],
    ['a value with a plus sign', [['q', '1+1=2']]],
    ["a value with ! * ' ( )", [['q', "it's (a) *test*!"]]],
    ['a value with ü', [['name', 'Müller']]],
    ['a value with an emoji', [['mood', 'happy 😀']]],
    ['a name that needs encoding', [['a b+c', 'x']]],
    ['an empty value', [['empty', '']]],
    ['repeated names, sorted by encoded value', [['tag', 'b'], ['tag', 'a'], ['tag', 'c']]],
    // Raw '~' sorts after 'ü'; encoded, '%C3%BC' sorts before '~': only byte order of the encoded form is right.
    ['repeated names whose raw and encoded orders differ', [['k', '~'], ['k', 'ü']]],
    ['names whose raw and encoded orders differ', [['a-b', '1'], ['a b', '2'], ['a+b', '3']]],
    ['a custom method', [['x', 'y']]],
  ];

  for (const [label, pairs] of cases) {
    const method = label === 'a custom method' ? 'purge' : 'POST';
    test(`base string for ${label}`, () => {
      expect(ours(pairs, method).baseString).toBe(theirs(pairs, method).baseString);
    });

    test(`signature for ${label}`, () => {
      expect(ours(pairs, method).signature).toBe(theirs(pairs, method).signature);
    });
  }
});

describe('normalizeParameters', () => {
  test('gives the normalized parameter string printed in RFC 5849 section 3.4.1.3.2', () => {
    const collected = collectParameters({
      authorization:
        'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
        'oauth_signature="djosJKDKJSD8743243%2Fjdk33klY%3D"',
      contentType: 'application/x-www-form-urlencoded',
      body: 'c2&a3=2+q',
      query: 'b5=%3D%253D&a3=a&c%40=&a2=r%20b',
    });
    expect(normalizeParameters(collected.pairs)).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2' +
        '&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201' +
        '&oauth_token=kkk9d7dh3k39sjv7',
    );
  });

  test('leaves out oauth_signature', () => {
    expect(normalizeParameters([['oauth_signature', 'x'], ['a', '1']])).toBe('a=1');
  });

  test('keeps a parameter that merely starts with oauth_signature', () => {
    expect(normalizeParameters([['oauth_signature_method', 'PLAINTEXT']])).toBe('oauth_signature_method=PLAINTEXT');
  });

  test('sorts equal names by value', () => {
    expect(normalizeParameters([['a', '2'], ['a', '10'], ['a', '1']])).toBe('a=1&a=10&a=2');
  });

  test('gives an empty string for no parameters', () => {
    expect(normalizeParameters([])).toBe('');
  });
});

describe('baseStringUri (RFC 5849 section 3.4.1.2)', () => {
  test.each([
    ['lower-cases scheme and host', 'HTTP://EXAMPLE.COM/Path', 'http://example.com/Path'],
    ['drops port 80 for http', 'http://example.com:80/r', 'http://example.com/r'],
    ['drops port 443 for https', 'https://example.com:443/r', 'https://example.com/r'],
    ['keeps port 443 for http', 'http://example.com:443/r', 'http://example.com:443/r'],
    ['keeps a non-default port', 'https://www.example.net:8080/?q=1', 'https://www.example.net:8080/'],
    ['drops query and fragment', 'http://example.com/r?x=1#frag', 'http://example.com/r'],
    ['turns an empty path into /', 'http://example.com', 'http://example.com/'],
    ['keeps the path exactly as sent', 'http://example.com/a%2fb/../%7Ec', 'http://example.com/a%2fb/../%7Ec'],
    ['keeps an IPv6 literal with its port', 'http://[::1]:8080/r', 'http://[::1]:8080/r'],
    ['drops the default port after an IPv6 literal', 'https://[2001:DB8::1]:443/r', 'https://[2001:db8::1]/r'],
  ])('%s', (_label, input, expected) => {
    expect(baseStringUri(input)).toBe(expected);
  });

  test('rejects a URI without scheme and authority', () => {
    expect(() => baseStringUri('/relative/path')).toThrow();
  });
});

describe('signatureBaseString', () => {
  test('upper-cases the method', () => {
    expect(signatureBaseString({ method: 'get', uri: 'http://example.com/', params: [] })).toBe('GET&http%3A%2F%2Fexample.com%2F&');
  });

  test('ignores a query left on the URI (parameters come only from params)', () => {
    expect(signatureBaseString({ method: 'GET', uri: 'http://example.com/r?a=1', params: [['b', '2']] })).toBe(
      'GET&http%3A%2F%2Fexample.com%2Fr&b%3D2',
    );
  });
});
