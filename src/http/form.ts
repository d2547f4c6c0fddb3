import { ProtocolError } from './protocol-error';

/**
 * A malformed percent-encoding or UTF-8 sequence, in a form, a query string or an OAuth 1.0a header
 * (one class for every decoder). A 400 invalid_request wherever it surfaces, worded by the format;
 * the offending text is left out on purpose: it may be a signature or a secret.
 */
export class MalformedEncodingError extends ProtocolError {
  constructor(where = 'request') {
    super('invalid_request', `The ${where} has a malformed percent-encoding.`);
  }
}

/** Percent-decodes once; `+` is a space as in application/x-www-form-urlencoded. */
export function decodeFormComponent(text: string, where?: string): string {
  // Most names and values have neither, and are their own decoding.
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new MalformedEncodingError(where);
  }
}

/**
 * Parses an application/x-www-form-urlencoded string (a body or a raw query) into ordered
 * name/value pairs, keeping repeats: protocols decide what a repeated name means. `where` names the
 * text in the refusal of a malformed encoding ("form body", "query string").
 */
export function parseForm(text: string, where?: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeFormComponent(name, where), decodeFormComponent(value, where)]);
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
