import { USER_CODE_ALPHABET, formatUserCode, generateUserCode, normaliseUserCode } from '../../src/oauth2/device/codes';

// RFC 8628 section 6.1 user codes: unambiguous alphabet, XXXX-XXXX, case- and dash-insensitive entry.

test('the alphabet has twenty consonants and no vowels or digits', () => {
  expect(USER_CODE_ALPHABET).toHaveLength(20);
  expect(new Set(USER_CODE_ALPHABET).size).toBe(20);
  expect(USER_CODE_ALPHABET).not.toMatch(/[AEIOUY0-9]/);
});

test('a generated code is eight characters of the alphabet', () => {
  for (let i = 0; i < 200; i++) {
    expect(generateUserCode()).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
  }
});

test('generation draws every character from the injected randomness', () => {
  let i = 0;
  expect(generateUserCode(() => i++ % 20)).toBe('BCDFGHJK');
});

test('a code is shown as XXXX-XXXX', () => {
  expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
});

test('entry ignores case, the dash and spaces', () => {
  expect(normaliseUserCode('BCDF-GHJK')).toBe('BCDFGHJK');
  expect(normaliseUserCode('bcdf-ghjk')).toBe('BCDFGHJK');
  expect(normaliseUserCode(' bcdfghjk ')).toBe('BCDFGHJK');
  expect(normaliseUserCode('bcdf ghjk')).toBe('BCDFGHJK');
  expect(normaliseUserCode('Bc-Df-Gh-Jk')).toBe('BCDFGHJK');
});

test('a typographic dash counts as a dash', () => {
  expect(normaliseUserCode('BCDF\u2013GHJK')).toBe('BCDFGHJK');
});

test('the wrong length is not a code', () => {
  expect(normaliseUserCode('BCDF-GHJ')).toBeNull();
  expect(normaliseUserCode('BCDF-GHJKL')).toBeNull();
  expect(normaliseUserCode('')).toBeNull();
});

test('characters outside the alphabet are not a code', () => {
  expect(normaliseUserCode('BCDF-GHJA')).toBeNull();
  expect(normaliseUserCode('BCDF-GHJ1')).toBeNull();
  expect(normaliseUserCode('BCDF_GHJK')).toBeNull();
});

test('a normalised generated code formats and normalises back to itself', () => {
  const code = generateUserCode();
  expect(normaliseUserCode(formatUserCode(code).toLowerCase())).toBe(code);
});
