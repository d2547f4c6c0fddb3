import { formatOobVerifier, generateOobVerifier, normaliseOobVerifier, OOB_VERIFIER_ALPHABET } from '../../src/oauth1/oob-verifier';
import { scopeLines } from '../../src/pages/scope-descriptions';
import { accessDuration, durationWords } from '../../src/pages/templates/consent';

// The pure pieces behind the pages' words: the oob verifier's shape, scope descriptions by language,
// durations in words.

describe('oob verifier', () => {
  test('eight characters of the alphabet, shown in two groups of four', () => {
    let i = 0;
    const code = generateOobVerifier(() => i++ % OOB_VERIFIER_ALPHABET.length);
    expect(code).toBe('BCDFGHJK');
    expect(formatOobVerifier(code)).toBe('BCDF-GHJK');
  });

  test('the alphabet leaves out the characters people confuse', () => {
    // 0/O, 1/I/L, 5 (S), 2 (Z), 8 (B), and the vowels.
    for (const c of '0O1IL528AEU') expect([c, OOB_VERIFIER_ALPHABET.includes(c)]).toEqual([c, false]);
  });

  test('case, dashes and spaces do not matter; an oversized value stays as given', () => {
    expect(normaliseOobVerifier(' bcdf-ghjk ')).toBe('BCDFGHJK');
    expect(normaliseOobVerifier('BCDF\u2013GHJK')).toBe('BCDFGHJK');
    const long = 'x'.repeat(40);
    expect(normaliseOobVerifier(long)).toBe(long);
  });
});

describe('scope descriptions', () => {
  const config = { read: 'Read your posts', write: { default: 'Write posts', de: 'Beiträge schreiben' }, openid: 'Log you in' };
  const none = () => false as const;

  test('configured words, built-in OpenID words, the name when nobody described it', () => {
    expect(scopeLines(['read', 'email', 'admin'], {}, none)).toEqual([
      { name: 'read', description: undefined },
      { name: 'email', description: 'Your email address' },
      { name: 'admin', description: undefined },
    ]);
    expect(scopeLines(['read', 'openid'], config, none).map((l) => l.description)).toEqual(['Read your posts', 'Log you in']);
  });

  test('the chooser picks among the languages offered, else the default', () => {
    expect(scopeLines(['write'], config, (offered) => (offered.includes('de') ? 'de' : false))[0].description).toBe('Beiträge schreiben');
    expect(scopeLines(['write'], config, none)[0].description).toBe('Write posts');
  });
});

describe('durations', () => {
  test.each([
    [45, '45 seconds'],
    [60, '1 minute'],
    [600, '10 minutes'],
    [3600, '1 hour'],
    [28800, '8 hours'],
    [86400, '1 day'],
    [1209600, '14 days'],
  ])('%i seconds read "%s"', (seconds, words) => {
    expect(durationWords(seconds)).toBe(words);
  });

  test('renewal: sliding for rotating refresh tokens, fixed for an OAuth 1.0a session, none', () => {
    expect(accessDuration('App', 3600, { seconds: 1209600, sliding: true })).toBe('Access lasts 1 hour at a time; App can renew it without asking you until it goes unused for 14 days, or until you take it back.');
    expect(accessDuration('App', 3600, { seconds: 1209600, sliding: false })).toBe('Access lasts 1 hour at a time; App can renew it without asking you for up to 14 days, or until you take it back.');
    expect(accessDuration('App', 3600, null)).toBe('Access lasts 1 hour at a time; after that App has to ask you again.');
  });
});
