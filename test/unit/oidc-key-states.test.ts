import { expiredKeys, missingAtStart, planRotation, publishedKeys, retireRefusal, signingKeyFor, type KeyRow } from '../../src/oidc/key-states';

const key = (kid: string, state: KeyRow['state'], extra: Partial<KeyRow> = {}): KeyRow => ({
  kid,
  alg: 'RS256',
  state,
  createdAt: 1000,
  activatedAt: state === 'active' ? 1000 : null,
  retiredAt: null,
  maxTokenLifetime: null,
  ...extra,
});

describe('signing key states', () => {
  test('the signer is the active key; a next key never signs', () => {
    expect(signingKeyFor([key('n', 'next'), key('a', 'active')], 'RS256')?.kid).toBe('a');
    expect(signingKeyFor([key('n', 'next')], 'RS256')).toBeNull();
  });

  test('of two active keys (two nodes started at once) the oldest signs', () => {
    const keys = [key('b', 'active', { createdAt: 2000 }), key('a', 'active', { createdAt: 1000 })];
    expect(signingKeyFor(keys, 'RS256')?.kid).toBe('a');
  });

  test('the signer is chosen per algorithm', () => {
    const keys = [key('r', 'active'), key('e', 'active', { alg: 'ES256' })];
    expect(signingKeyFor(keys, 'ES256')?.kid).toBe('e');
  });

  test('next and active keys are published', () => {
    expect(publishedKeys([key('n', 'next', { createdAt: 2000 }), key('a', 'active')], 5000).map((k) => k.kid)).toEqual(['a', 'n']);
  });

  test('a retired key stays published until everything it signed has expired, then drops out', () => {
    const retired = key('r', 'retired', { retiredAt: 10_000, maxTokenLifetime: 3600 });
    expect(publishedKeys([retired], 10_000 + 3600_000 - 1)).toHaveLength(1);
    expect(publishedKeys([retired], 10_000 + 3600_000)).toHaveLength(0);
    expect(expiredKeys([retired], 10_000 + 3600_000).map((k) => k.kid)).toEqual(['r']);
    expect(expiredKeys([retired], 10_000)).toEqual([]);
  });

  test('rotation promotes the published next key and retires the active one', () => {
    expect(planRotation([key('a', 'active'), key('n', 'next')], 'RS256')).toEqual({ promote: 'n', retire: ['a'], makeNext: true });
  });

  test('rotation without a published next key promotes nothing: the active key keeps signing', () => {
    expect(planRotation([key('a', 'active')], 'RS256')).toEqual({ promote: null, retire: [], makeNext: true });
  });

  test('rotation of one algorithm leaves the other alone', () => {
    const keys = [key('a', 'active'), key('n', 'next'), key('ea', 'active', { alg: 'ES256' })];
    expect(planRotation(keys, 'ES256')).toEqual({ promote: null, retire: [], makeNext: true });
  });

  test('the first start makes an active and a next key; later starts make nothing', () => {
    expect(missingAtStart([], 'RS256')).toEqual({ active: true, next: true });
    expect(missingAtStart([key('a', 'active'), key('n', 'next')], 'RS256')).toEqual({ active: false, next: false });
  });

  test('retiring an unknown or retired key is refused', () => {
    expect(retireRefusal([], 'x')).toMatch(/unknown key/);
    expect(retireRefusal([key('r', 'retired', { retiredAt: 1 })], 'r')).toMatch(/already retired/);
    expect(retireRefusal([key('a', 'active')], 'a')).toBeNull();
  });
});
