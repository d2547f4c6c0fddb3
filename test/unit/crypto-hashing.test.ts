import crypto from 'node:crypto';
import { hashSecret, verifyClientSecret } from '../../src/crypto';

describe('client secret verification memory', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashSecret('a-high-entropy-client-secret');
  });
  afterEach(() => jest.restoreAllMocks());

  test('a verified secret is remembered: the second check runs no scrypt', async () => {
    const now = Date.UTC(2030, 0, 1);
    expect(await verifyClientSecret('a-high-entropy-client-secret', stored, now)).toBe(true);
    const scrypt = jest.spyOn(crypto, 'scrypt');
    expect(await verifyClientSecret('a-high-entropy-client-secret', stored, now + 1000)).toBe(true);
    expect(scrypt).not.toHaveBeenCalled();
  });

  test('a wrong secret is refused every time and never remembered', async () => {
    const scrypt = jest.spyOn(crypto, 'scrypt');
    expect(await verifyClientSecret('wrong', stored)).toBe(false);
    expect(await verifyClientSecret('wrong', stored)).toBe(false);
    expect(scrypt).toHaveBeenCalledTimes(2);
  });

  test('the memory expires after ten minutes', async () => {
    const now = Date.UTC(2031, 0, 1);
    const other = await hashSecret('another-secret');
    expect(await verifyClientSecret('another-secret', other, now)).toBe(true);
    const scrypt = jest.spyOn(crypto, 'scrypt');
    expect(await verifyClientSecret('another-secret', other, now + 11 * 60 * 1000)).toBe(true);
    expect(scrypt).toHaveBeenCalledTimes(1);
  });

  test('a new stored hash (a changed secret) never matches what was remembered for the old one', async () => {
    const now = Date.UTC(2032, 0, 1);
    expect(await verifyClientSecret('rotating-secret', await hashSecret('rotating-secret'), now)).toBe(true);
    expect(await verifyClientSecret('rotating-secret', await hashSecret('the-new-secret'), now)).toBe(false);
  });
});
