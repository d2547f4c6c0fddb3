import { isTrustedProxy, normaliseAddress } from '../../src/http/trusted-proxy';

describe('isTrustedProxy', () => {
  test('is false for no peer', () => {
    expect(isTrustedProxy(undefined, ['10.0.0.2'])).toBe(false);
    expect(isTrustedProxy(null, ['10.0.0.2'])).toBe(false);
    expect(isTrustedProxy('', ['10.0.0.2'])).toBe(false);
  });

  test('is false when no proxy is configured', () => {
    expect(isTrustedProxy('10.0.0.2', [])).toBe(false);
  });

  test('matches an IPv4 address exactly', () => {
    expect(isTrustedProxy('10.0.0.2', ['10.0.0.2'])).toBe(true);
    expect(isTrustedProxy('10.0.0.20', ['10.0.0.2'])).toBe(false);
  });

  test('matches an IPv6 address', () => {
    expect(isTrustedProxy('::1', ['10.0.0.2', '::1'])).toBe(true);
    expect(isTrustedProxy('::2', ['::1'])).toBe(false);
  });

  test('matches an IPv6 address regardless of case, on either side', () => {
    expect(isTrustedProxy('FE80::1', ['fe80::1'])).toBe(true);
    expect(isTrustedProxy('fe80::1', ['FE80::1'])).toBe(true);
  });

  test('takes an IPv4-mapped IPv6 peer for the IPv4 proxy, and the other way round', () => {
    expect(isTrustedProxy('::ffff:10.0.0.2', ['10.0.0.2'])).toBe(true);
    expect(isTrustedProxy('10.0.0.2', ['::ffff:10.0.0.2'])).toBe(true);
    expect(isTrustedProxy('::FFFF:10.0.0.2', ['10.0.0.2'])).toBe(true);
  });

  test('ignores spaces around a configured or reported address', () => {
    expect(isTrustedProxy('10.0.0.2', [' 10.0.0.2 '])).toBe(true);
    expect(isTrustedProxy(' 10.0.0.2', ['10.0.0.2'])).toBe(true);
  });

  test('a blank entry trusts no one', () => {
    expect(isTrustedProxy(' ', [' '])).toBe(false);
  });
});

describe('normaliseAddress', () => {
  test('keeps a hex-form IPv6 address that only starts like an IPv4-mapped one', () => {
    // "::ffff:a00:2" is written in hex: cutting the prefix would leave "a00:2", no address at all.
    expect(normaliseAddress('::ffff:a00:2')).toBe('::ffff:a00:2');
  });

  test('lower-cases, trims and unmaps', () => {
    expect(normaliseAddress(' ::FFFF:192.0.2.1 ')).toBe('192.0.2.1');
    expect(normaliseAddress('2001:DB8::1')).toBe('2001:db8::1');
  });
});
