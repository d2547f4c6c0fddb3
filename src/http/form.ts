/** A malformed percent-encoding or UTF-8 sequence in a form or query string. */
export class MalformedEncodingError extends Error {
  constructor() {
    super('malformed percent-encoding');
    this.name = 'MalformedEncodingError';
  }
}

/** Percent-decodes once; `+` is a space as in application/x-www-form-urlencoded. */
export function decodeFormComponent(text: string): string {
  // Most names and values have neither, and are their own decoding.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new MalformedEncodingError();
  }
}

/**
 * Parses an application/x-www-form-urlencoded string (a body or a raw query) into ordered
 * name/value pairs, keeping repeats: protocols decide what a repeated name means.
 */
export function parseForm(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeFormComponent(name), decodeFormComponent(value)]);
  }
  return pairs;
}

/** Names that occur more than once. */
export function repeatedNames(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const [name] of pairs) {
    if (seen.has(name)) repeated.add(name);
    seen.add(name);
  }
  return [...repeated];
}
