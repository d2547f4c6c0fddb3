import { originAllowed } from '../../src/cors';

describe('originAllowed (ClearPass Allowed Origins)', () => {
  test('an empty list never allows', () => {
    expect(originAllowed('https://app.example.com', [])).toBe(false);
  });

  test('an exact entry allows that origin only', () => {
    const list = ['https://app.example.com'];
    expect(originAllowed('https://app.example.com', list)).toBe(true);
    expect(originAllowed('http://app.example.com', list)).toBe(false);
    expect(originAllowed('https://app.example.com:8443', list)).toBe(false);
    expect(originAllowed('https://other.example.com', list)).toBe(false);
  });

  test('an exact entry is compared as an origin (case, trailing slash, default port)', () => {
    expect(originAllowed('https://app.example.com', ['HTTPS://App.Example.com/'])).toBe(true);
    expect(originAllowed('https://app.example.com', ['https://app.example.com:443'])).toBe(true);
  });

  test('* allows every origin', () => {
    expect(originAllowed('http://localhost:3000', ['*'])).toBe(true);
  });

  test('*.example.com allows subdomains at any depth', () => {
    const list = ['*.example.com'];
    expect(originAllowed('https://app.example.com', list)).toBe(true);
    expect(originAllowed('http://a.b.example.com:8080', list)).toBe(true);
  });

  test('*.example.com does not allow example.com itself', () => {
    expect(originAllowed('https://example.com', ['*.example.com'])).toBe(false);
  });

  test('*.example.com does not allow look-alike domains', () => {
    const list = ['*.example.com'];
    expect(originAllowed('https://evil-example.com', list)).toBe(false);
    expect(originAllowed('https://example.com.evil.net', list)).toBe(false);
    expect(originAllowed('https://app.example.community', list)).toBe(false);
  });

  test('a wildcard with a scheme admits that scheme only', () => {
    expect(originAllowed('https://app.example.com', ['https://*.example.com'])).toBe(true);
    expect(originAllowed('http://app.example.com', ['https://*.example.com'])).toBe(false);
  });

  test('the opaque origin null is never allowed, not even by *', () => {
    expect(originAllowed('null', ['*'])).toBe(false);
  });

  test('something that is not an origin is not allowed', () => {
    expect(originAllowed('https://app.example.com/path', ['*'])).toBe(false);
    expect(originAllowed('ftp://app.example.com', ['*'])).toBe(false);
    expect(originAllowed('not a url', ['*'])).toBe(false);
    expect(originAllowed(undefined, ['*'])).toBe(false);
  });
});
