import type { AccessTokenRow } from '../../src/storage/types';

/** A fixed "now" for rows written straight to a store (no clock runs in these suites). */
export const ROW_TIME = 1_800_000_000_000;

let n = 0;

/** An access-token row with a digest of its own (label, process, counter, random), valid for an hour from ROW_TIME. */
export function accessTokenRow(label: string, over: Partial<AccessTokenRow> = {}): AccessTokenRow {
  return {
    digest: `${label}-${process.pid}-${++n}-${Math.random().toString(36).slice(2)}`.padEnd(64, '0').slice(0, 64),
    clientId: 'app',
    userId: null,
    scope: 'read',
    grantType: 'client_credentials',
    familyId: null,
    codeDigest: null,
    expiresAt: ROW_TIME + 3_600_000,
    revokedAt: null,
    createdAt: ROW_TIME,
    ...over,
  };
}
