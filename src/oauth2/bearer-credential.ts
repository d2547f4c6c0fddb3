/** Why a bearer credential could not even be read (RFC 6750 section 3.1 invalid_request). */
export class MalformedBearerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedBearerError';
  }
}

// RFC 6750 section 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface BearerSources {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** Every access_token value in the query (only looked at when the query is allowed). */
  queryTokens: readonly string[];
  /** RFC 6750 section 2.3: off by default, because URLs end up in logs and browser history. */
  queryAllowed: boolean;
}

/**
 * Finds the bearer token of a request: null when there is none (another scheme, such as OAuth 1.0a,
 * may own the request), the token when there is exactly one, and MalformedBearerError when it can't
 * be parsed or the request carries more than one (RFC 6750 section 2: one method per request).
 */
export function extractBearer(sources: BearerSources): string | null {
  const found: string[] = [];
  const header = sources.authorization;
  if (header !== undefined && /^bearer(?: |$)/i.test(header)) {
    const value = header.slice(6).trim();
    if (value === '' || !b64token.test(value)) throw new MalformedBearerError('The Authorization header does not hold a well-formed bearer token.');
    found.push(value);
  }
  if (sources.queryAllowed) {
    for (const value of sources.queryTokens) {
      if (!b64token.test(value)) throw new MalformedBearerError('The access_token parameter is not a well-formed bearer token.');
      found.push(value);
    }
  }
  if (found.length > 1) throw new MalformedBearerError('The request carries more than one access token.');
  return found[0] ?? null;
}
