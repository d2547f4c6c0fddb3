import { normalisePath } from '../../src/gateway/path';

// normalisePath against spellings that some upstream reads as another path: Unicode NFKC or Windows
// "best-fit" conversion, stripped invisible characters, invalid UTF-8 under a second encoding. Each
// attack path is spelled as a client sent it, with a token for the looser /api route.

const refused = (path: string) => () => expect(() => normalisePath(path)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_path' }));

describe('characters an upstream reads as ASCII (NFKC, best-fit)', () => {
  test('fullwidth "ａ" (/api/%EF%BD%81dmin/x, "admin" after NFKC) is refused', refused('/api/%EF%BD%81dmin/x'));
  test('fullwidth ".." (/api/x/%EF%BC%8E%EF%BC%8E/admin/x, "/api/admin/x" after NFKC) is refused', refused('/api/x/%EF%BC%8E%EF%BC%8E/admin/x'));
  test('the same under a second encoding (%25EF%25BD%2581) is refused', refused('/api/%25EF%25BD%2581dmin/x'));

  test.each([
    ['U+FF21 fullwidth A', '/api/%EF%BC%A1dmin'],
    ['U+1D400 mathematical bold A (astral)', '/api/%F0%9D%90%80dmin'],
    ['U+FB01 ligature fi', '/api/%EF%AC%81le'],
    ['U+2024 one dot leader', '/api/x/%E2%80%A4%E2%80%A4/admin'],
    ['U+FE52 small full stop', '/api/x/%EF%B9%92%EF%B9%92/admin'],
    ['U+00A0 no-break space inside a segment', '/api/a%C2%A0b'],
    ['U+00B2 superscript two', '/api/v%C2%B2'],
  ])('%s (NFKC holds ASCII) is refused', (_, path) => refused(path)());

  test.each([
    ['U+FF0F fullwidth solidus', '%EF%BC%8F'],
    ['U+FF3C fullwidth reverse solidus', '%EF%BC%BC'],
    ['U+FE68 small reverse solidus', '%EF%B9%A8'],
    ['U+FF0E fullwidth full stop', '%EF%BC%8E'],
    ['U+2215 division slash', '%E2%88%95'],
    ['U+2044 fraction slash', '%E2%81%84'],
    ['U+2216 set minus', '%E2%88%96'],
    ['U+29F5 reverse solidus operator', '%E2%A7%B5'],
    ['U+3002 ideographic full stop', '%E3%80%82'],
    ['U+FF61 halfwidth ideographic full stop', '%EF%BD%A1'],
    ['U+00A5 yen sign ("\\" in code page 932)', '%C2%A5'],
    ['U+20A9 won sign ("\\" in code page 949)', '%E2%82%A9'],
  ])('%s, a best-fit separator look-alike, is refused', (_, escape) => refused(`/api/x${escape}admin/x`)());

  test.each([
    ['long s', '/api/%C5%BFecret'],
    ['Kelvin sign', '/api/%E2%84%AAey'],
    ['Turkish dotless i (Java equalsIgnoreCase("adm\u0131n", "admin") is true)', '/api/adm%C4%B1n'],
    ['Turkish dotted capital I', '/api/%C4%B0tems'],
  ])('the %s, whose case mapping is ASCII, is refused', (_, path) => refused(path)());
});

describe('format characters anywhere in a segment', () => {
  test('a zero-width space inside "admin" (/api/adm%E2%80%8Bin) is refused', refused('/api/adm%E2%80%8Bin'));

  test.each([
    ['U+200C zero-width non-joiner', '%E2%80%8C'],
    ['U+200D zero-width joiner', '%E2%80%8D'],
    ['U+200E left-to-right mark', '%E2%80%8E'],
    ['U+200F right-to-left mark', '%E2%80%8F'],
    ['U+2060 word joiner', '%E2%81%A0'],
    ['U+2064 invisible plus', '%E2%81%A4'],
    ['U+FEFF byte order mark', '%EF%BB%BF'],
    ['U+00AD soft hyphen', '%C2%AD'],
    ['U+180E Mongolian vowel separator', '%E1%A0%8E'],
    ['U+202A left-to-right embedding', '%E2%80%AA'],
    ['U+202E right-to-left override', '%E2%80%AE'],
    ['U+2066 left-to-right isolate', '%E2%81%A6'],
    ['U+2069 pop directional isolate', '%E2%81%A9'],
    ['U+E0041 tag latin capital letter A', '%F3%A0%81%81'],
  ])('%s inside a segment is refused', (_, escape) => refused(`/api/adm${escape}in/x`)());

  test('a byte order mark at the start of a segment is refused, not dropped by the decoder', refused('/api/%EF%BB%BFadmin'));
  test('a format character under a second encoding is refused', refused('/api/adm%25E2%2580%258Bin'));
});

describe('invalid UTF-8 at every layer of encoding', () => {
  test('double-encoded overlong "." (/api/x/%25C0%25AE%25C0%25AE/admin/x) is refused', refused('/api/x/%25C0%25AE%25C0%25AE/admin/x'));

  test.each([
    ['an overlong "/" under two encodings', '/api/x%2525C0%2525AFadmin'],
    ['a lone lead byte under one', '/api/adm%25C3in'],
    ['an encoded surrogate under one', '/api/x%25ED%25A0%2580'],
    ['a lead byte and its continuation split by text', '/api/x%25C3y%25A9'],
    ['Latin-1 bytes under one', '/api/caf%25E9'],
  ])('%s is refused', (_, path) => refused(path)());
});

describe('legitimate spellings pass unchanged', () => {
  test.each([
    ['/caf%C3%A9', 'é'],
    ['/%E6%97%A5%E6%9C%AC', 'Japanese'],
    ['/%C3%A0%C3%A7%C3%B1%C3%B6%C5%82%C5%91%C4%8D', 'Latin letters with accents'],
    ['/%D0%BF%D1%83%D1%82%D1%8C', 'Cyrillic'],
    ['/%F0%9F%98%80', 'an emoji'],
    ['/%E2%9D%A4%EF%B8%8F', 'an emoji with a variation selector'],
    ['/100%25', 'an encoded "%"'],
    ['/100%2525off', 'a double-encoded "%"'],
    ['/100%25off', 'a decoded "%" that starts no escape'],
    ['/off%25%C3%A9', 'a decoded "%" before a character'],
    ['/caf%25C3%25A9', 'a double-encoded é'],
    ['/a%20b', 'a space inside a segment'],
  ])('%s (%s)', (path) => {
    expect(normalisePath(path)).toBe(path);
  });

  test('escapes are upper-cased', () => {
    expect(normalisePath('/caf%c3%a9/%e6%97%a5')).toBe('/caf%C3%A9/%E6%97%A5');
  });
});
