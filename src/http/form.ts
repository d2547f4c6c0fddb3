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
    const [name, value] = splitPair(part);
    pairs.push([decodeFormComponent(name, where), decodeFormComponent(value, where)]);
  }
  return pairs;
}

/** One `name=value` element of a form or query, split at its first "=": both halves still encoded. */
export function splitPair(pair: string): [name: string, value: string] {
  const eq = pair.indexOf('=');
  return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
}

/**
 * The decoded name of one element of a form or query, for code that only looks at names (which
 * parameters a log line lists, which ones are credentials): a malformed escape leaves the name as
 * sent instead of refusing the request, which is for parseForm to do where a request is read.
 */
export function parameterName(pair: string): string {
  const name = splitPair(pair)[0];
  try {
    return decodeFormComponent(name);
  } catch {
    return name.replace(/\+/g, ' ');
  }
}

/** The decoded names of a form or query string, in order, repeats kept (see parameterName). */
export function parameterNames(text: string): string[] {
  return text.split('&').filter(Boolean).map(parameterName);
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
