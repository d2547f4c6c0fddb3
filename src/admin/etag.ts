import { createHash } from 'node:crypto';

/** A strong ETag of a representation: its JSON, hashed (two equal representations share one). */
export function etagOf(representation: unknown): string {
  return `"${createHash('sha256').update(JSON.stringify(representation)).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether If-Match (RFC 9110 section 13.1.1) admits the current ETag: `*` or a list naming it.
 * Weak tags never match (strong comparison).
 */
export function ifMatchAdmits(header: string, current: string): boolean {
  const tags = header.split(',').map((t) => t.trim());
  return tags.includes('*') || tags.includes(current);
}
