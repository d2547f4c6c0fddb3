/**
 * A refusal as plain data: what went wrong (code, status, description) and what its answer must
 * carry (extra protocol parameters, response headers, authentication challenges). It knows no
 * response format and no Koa: the error mapper (errors.ts) hands it to the renderer of the format
 * the route declared (render/), so an OAuth 1.0a endpoint, the token endpoint, the ClearPass API and
 * a page each answer the same refusal in their own protocol.
 */

/** One WWW-Authenticate challenge, as data; render/challenge.ts writes the header. */
export interface Challenge {
  scheme: 'Basic' | 'Bearer' | 'OAuth';
  realm: string;
  /**
   * RFC 6750 section 3: the challenge repeats the refusal's code and description. Not when the
   * request carried no credential at all (the client then only learns which scheme to use).
   */
  withError?: boolean;
  /** RFC 6750 section 3: the scopes the resource needs. */
  scope?: readonly string[];
}

export interface ProtocolErrorOptions {
  /** 400 unless given. */
  status?: number;
  /** A short heading for a person (a page's title, Problem Details' title); renderers have defaults. */
  title?: string;
  /** Further protocol parameters (oauth_acceptable_timestamps, request_id, ...), sent after the code and description. */
  parameters?: Readonly<Record<string, string>>;
  /** Response headers the refusal needs (Retry-After, Allow, Connection). */
  headers?: Readonly<Record<string, string>>;
  challenges?: readonly Challenge[];
}

/**
 * Thrown wherever a protocol refusal is meant. The description is a fixed sentence for a developer
 * (or, on a page, a person): never request data, a credential or an internal message.
 */
export class ProtocolError extends Error {
  readonly status: number;
  readonly title: string | undefined;
  readonly parameters: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly challenges: readonly Challenge[];

  constructor(
    readonly code: string,
    readonly description: string,
    options: ProtocolErrorOptions = {},
  ) {
    super(description || code);
    this.name = new.target.name;
    this.status = options.status ?? 400;
    this.title = options.title;
    this.parameters = Object.freeze({ ...options.parameters });
    this.headers = Object.freeze({ ...options.headers });
    this.challenges = Object.freeze([...(options.challenges ?? [])]);
  }
}

/**
 * Retry-After (RFC 9110 section 10.2.3) in whole seconds, at least 1. Waits come from the cache's
 * counters and the configured locks, which are finite by contract; a value that is not (a counter
 * that lost its expiry would report Infinity) must still not become a header that is no number.
 */
export function retryAfter(seconds: number): { 'Retry-After': string } {
  const whole = Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 1;
  return { 'Retry-After': String(whole) };
}
