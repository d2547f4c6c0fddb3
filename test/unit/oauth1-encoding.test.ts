import { MalformedEncodingError } from '../../src/http/form';
import { percentDecode, percentEncode } from '../../src/oauth1/encoding';

describe('percentEncode (RFC 5849 section 3.6)', () => {
  test('keeps the unreserved characters ALPHA DIGIT - . _ ~', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    expect(percentEncode(unreserved)).toBe(unreserved);
  });

  test("encodes ! * ' ( ) which encodeURIComponent leaves alone", () => {
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
  });

  test('encodes space as %20 and plus as %2B', () => {
    expect(percentEncode('a b+c')).toBe('a%20b%2Bc');
  });

  test('encodes every printable ASCII reserved character with upper-case hex', () => {
    expect(percentEncode(' "#$%&+,/:;<=>?@[\\]^`{|}')).toBe(
      '%20%22%23%24%25%26%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
    );
  });

  test('encodes a non-ASCII character as its UTF-8 bytes', () => {
    expect(percentEncode('ü')).toBe('%C3%BC');
  });

  test('encodes an emoji (a surrogate pair in JavaScript) as its four UTF-8 bytes', () => {
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
  });

  test('throws MalformedEncodingError for a lone surrogate, which has no UTF-8 form', () => {
    expect(() => percentEncode('\ud800')).toThrow(MalformedEncodingError);
  });
});

describe('percentDecode', () => {
  test('decodes each %XX once', () => {
    expect(percentDecode('%253D')).toBe('%3D');
  });

  test('accepts lower-case hex', () => {
    expect(percentDecode('%c3%bc')).toBe('ü');
  });

  test('leaves a plus sign as a plus sign', () => {
    expect(percentDecode('a+b')).toBe('a+b');
  });

  test('round-trips what percentEncode produced', () => {
    const text = "a b+c!*'()ü😀&=%";
    expect(percentDecode(percentEncode(text))).toBe(text);
  });

  test.each([
    ['a stray percent sign', '100%'],
    ['a percent sign with one hex digit', '%4'],
    ['a percent sign with non-hex digits', '%zz'],
    ['a lone UTF-8 continuation byte', '%80'],
    ['a truncated UTF-8 sequence', '%C3'],
    ['an overlong UTF-8 encoding', '%C0%AF'],
    ['an encoded UTF-16 surrogate', '%ED%A0%80'],
    ['a byte that never occurs in UTF-8', '%FF'],
  ])('throws MalformedEncodingError for %s', (_label, text) => {
    expect(() => percentDecode(text)).toThrow(MalformedEncodingError);
  });
});
