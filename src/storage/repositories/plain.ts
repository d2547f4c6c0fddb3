/**
 * What a repository hands back: the row as a plain object. TypeORM materialises instances of the
 * entity classes; a shallow copy leaves callers the data alone (every entity implements its row
 * type, so the fields are the same), and nothing outside src/storage ever holds an entity. The copy
 * is made only on reads that reach the database, never on a verified-credential cache hit.
 */
export async function plainRow<R extends object>(found: Promise<R | null>): Promise<R | null> {
  const entity = await found;
  return entity === null ? null : { ...entity };
}

export async function plainRows<R extends object>(found: Promise<R[]>): Promise<R[]> {
  return (await found).map((entity) => ({ ...entity }));
}
