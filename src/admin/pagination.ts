import { z } from 'zod';
import { invalidInput } from './problems';

/** limit + cursor, the query of every list operation. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).meta({ description: 'Items per page (1 to 200).' }),
  cursor: z.string().max(512).optional().meta({ description: 'next_cursor of the previous page.' }),
});

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next_cursor: z.string().nullable() });

const encode = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

function decode(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encode(key) !== cursor) throw invalidInput('The cursor is not one this API gave out.');
  return key;
}

/**
 * One page of items in key order: the cursor names the last key of the page before, so an item
 * added or deleted between two reads moves no other item to another page.
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, query: { limit: number; cursor?: string }): Page<T> {
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const after = query.cursor === undefined ? null : decode(query.cursor);
  const rest = after === null ? sorted : sorted.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, query.limit);
  const more = rest.length > query.limit;
  return { items: page, next_cursor: more ? encode(keyOf(page[page.length - 1])) : null };
}

export const seqCursor = {
  encode: (seq: number) => encode(String(seq)),
  decode(cursor: string): number {
    const text = decode(cursor);
    if (!/^\d{1,15}$/.test(text)) throw invalidInput('The cursor is not one this API gave out.');
    return Number(text);
  },
};
