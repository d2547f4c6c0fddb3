import { refreshUse } from '../../src/oauth2/refresh-reuse';
import type { RefreshTokenRow } from '../../src/storage/types';

// The pure rule behind the refresh grant's grace period: what a presented refresh token amounts to,
// from its row and the time.

const T = 1_800_000_000_000;
const GRACE = 5000;
const row = (over: Partial<RefreshTokenRow> = {}): RefreshTokenRow => ({
  digest: 'd',
  familyId: 'f',
  clientId: 'app',
  userId: 'u',
  scope: 'read',
  expiresAt: T + 3_600_000,
  rotatedAt: null,
  revokedAt: null,
  createdAt: T - 1000,
  ...over,
});

test('a live, unused token rotates', () => {
  expect(refreshUse(row(), 'app', T, GRACE)).toBe('rotate');
});

test('a token rotated within the grace period gets a sibling', () => {
  expect(refreshUse(row({ rotatedAt: T }), 'app', T, GRACE)).toBe('sibling');
  expect(refreshUse(row({ rotatedAt: T }), 'app', T + GRACE - 1, GRACE)).toBe('sibling');
});

test('a rotation stamped by a node whose clock is slightly ahead still counts as within the grace', () => {
  expect(refreshUse(row({ rotatedAt: T + 200 }), 'app', T, GRACE)).toBe('sibling');
});

test('a token rotated the grace period ago or longer is a replay', () => {
  expect(refreshUse(row({ rotatedAt: T }), 'app', T + GRACE, GRACE)).toBe('replay');
  expect(refreshUse(row({ rotatedAt: T }), 'app', T + 60_000, GRACE)).toBe('replay');
});

test('a grace of 0 makes every reuse a replay', () => {
  expect(refreshUse(row({ rotatedAt: T }), 'app', T, 0)).toBe('replay');
});

test('another client presenting a rotated token is invalid, never a sibling', () => {
  expect(refreshUse(row({ rotatedAt: T }), 'other', T, GRACE)).toBe('invalid');
});

test('a revoked family, an expired or an unknown token is invalid within the grace too', () => {
  expect(refreshUse(row({ rotatedAt: T, revokedAt: T + 1 }), 'app', T + 2, GRACE)).toBe('invalid');
  expect(refreshUse(row({ rotatedAt: T, expiresAt: T + 1 }), 'app', T + 1, GRACE)).toBe('invalid');
  expect(refreshUse(null, 'app', T, GRACE)).toBe('invalid');
});
