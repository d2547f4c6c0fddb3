import { etagOf, ifMatchAdmits } from '../../src/admin/etag';
import { paginate, seqCursor } from '../../src/admin/pagination';
import { ProtocolError } from '../../src/http/protocol-error';

describe('ETags', () => {
  test('equal representations share a strong ETag; any change gives another', () => {
    expect(etagOf({ a: 1, b: [2] })).toBe(etagOf({ a: 1, b: [2] }));
    expect(etagOf({ a: 1, b: [2] })).not.toBe(etagOf({ a: 1, b: [3] }));
    expect(etagOf({ a: 1 })).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  test('If-Match admits the current tag, a list naming it, or *; weak tags never match', () => {
    const tag = etagOf({ a: 1 });
    expect(ifMatchAdmits(tag, tag)).toBe(true);
    expect(ifMatchAdmits(`"other", ${tag}`, tag)).toBe(true);
    expect(ifMatchAdmits('*', tag)).toBe(true);
    expect(ifMatchAdmits(`W/${tag}`, tag)).toBe(false);
    expect(ifMatchAdmits('"other"', tag)).toBe(false);
  });
});

describe('pages', () => {
  const items = ['d', 'a', 'c', 'b', 'e'].map((k) => ({ k }));

  test('pages follow key order and the cursor names the last key of the page before', () => {
    const first = paginate(items, (i) => i.k, { limit: 2 });
    expect(first.items.map((i) => i.k)).toEqual(['a', 'b']);
    const second = paginate(items, (i) => i.k, { limit: 2, cursor: first.next_cursor as string });
    expect(second.items.map((i) => i.k)).toEqual(['c', 'd']);
    const last = paginate(items, (i) => i.k, { limit: 2, cursor: second.next_cursor as string });
    expect(last).toEqual({ items: [{ k: 'e' }], next_cursor: null });
  });

  test('an item deleted between two reads moves no other item to another page', () => {
    const first = paginate(items, (i) => i.k, { limit: 2 });
    const second = paginate(items.filter((i) => i.k !== 'a'), (i) => i.k, { limit: 2, cursor: first.next_cursor as string });
    expect(second.items.map((i) => i.k)).toEqual(['c', 'd']);
  });

  test('a cursor this API did not give out is a 400', () => {
    expect(() => paginate(items, (i) => i.k, { limit: 2, cursor: 'not base64url!' })).toThrow(ProtocolError);
    expect(() => seqCursor.decode(Buffer.from('abc').toString('base64url'))).toThrow(ProtocolError);
    expect(seqCursor.decode(seqCursor.encode(42))).toBe(42);
  });
});
