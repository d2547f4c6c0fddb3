import { AUDIT_PAGE_SIZE, auditPage, auditPageOf } from '../../src/console/audit-page';
import { accountActions, secretPage } from '../../src/console/operation-pages';
import type { AuditEntryRow } from '../../src/storage/types';

// The pure parts of the console's changes: the audit page's paging cursor, which buttons an
// account gets, and that values from the store are escaped on every one of these pages.

const entry = (seq: number, over: Partial<AuditEntryRow> = {}): AuditEntryRow => ({
  seq, at: 1000 * seq, actor: 'root', actorClient: null, operation: 'disableClient', targetKind: 'client', target: `c${seq}`, address: '127.0.0.1', outcome: 'success', source: 'console', ...over,
});

describe('auditPageOf', () => {
  test('a full page plus one: the older page starts before the last entry shown', () => {
    const rows = Array.from({ length: AUDIT_PAGE_SIZE + 1 }, (_, i) => entry(1000 - i));
    const { entries, olderBefore } = auditPageOf(rows);
    expect(entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(olderBefore).toBe(1000 - (AUDIT_PAGE_SIZE - 1));
  });
  test('a short page has no older page', () => {
    expect(auditPageOf([entry(3), entry(2)])).toEqual({ entries: [entry(3), entry(2)], olderBefore: null });
    expect(auditPageOf([])).toEqual({ entries: [], olderBefore: null });
  });
});

describe('console operation pages', () => {
  const frame = { username: 'root', role: 'admin' as const };
  test('no controls (admin_read): no buttons at all', () => {
    expect(accountActions(null, { kind: 'clients', id: 'x', name: 'X', enabled: true, rotate: 'grace' })).toBeNull();
  });
  test('a public client gets no rotate button; an enabled one Disable, a disabled one Enable', () => {
    const controls = { csrfToken: 't', notice: null };
    const publicClient = String((accountActions(controls, { kind: 'clients', id: 'p', name: 'P', enabled: true, rotate: null }) as { value: string }).value);
    expect(publicClient).toContain('action="/console/clients/disable"');
    expect(publicClient).not.toContain('rotate-secret');
    const disabled = String((accountActions(controls, { kind: 'users', id: 'u', name: 'u', enabled: false, rotate: null }) as { value: string }).value);
    expect(disabled).toContain('action="/console/users/enable"');
  });
  test('values from the store are escaped', () => {
    const evil = '<script>x</script>';
    expect(auditPage(frame, [entry(1, { actor: evil, target: evil })], null, false).value).not.toContain('<script>');
    expect(secretPage(frame, 'clients', evil, 's3cret', null).value).not.toContain('<script>');
  });
});
