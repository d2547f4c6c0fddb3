import { parseForm, repeatedNames } from '../http/form';
import { OAuth2Error } from './errors';
import { parseFlatJson } from './flat-json';

/**
 * The parameters of one token, introspection or revocation request, after the RFC 6749 section 3.1
 * rules: a repeated parameter is refused, and one sent without a value counts as not sent.
 */
export class TokenParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  static fromPairs(pairs: ReadonlyArray<readonly [string, string]>): TokenParams {
    const repeated = repeatedNames(pairs);
    if (repeated.length > 0) {
      throw new OAuth2Error('invalid_request', `Repeated parameter: ${safeNames(repeated)}.`);
    }
    return new TokenParams(new Map(pairs.filter(([, value]) => value !== '')));
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  require(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) throw OAuth2Error.missing(name);
    return value;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Every parameter sent with a value, in order (a pushed authorization request keeps them all). */
  entries(): Array<[string, string]> {
    return [...this.values];
  }
}

/** Parameter names go into error descriptions: keep only what RFC 6749 section 5.2 allows there. */
function safeNames(names: string[]): string {
  return names.map((n) => n.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?').slice(0, 64)).join(', ');
}

/**
 * Name/value pairs from a request body: application/x-www-form-urlencoded (RFC 6749) or a flat JSON
 * object (ClearPass and many mobile clients). Anything else is a client error, never a 500.
 */
export function pairsFromBody(bytes: Buffer, mediaType: string, charset: string | null): Array<[string, string]> {
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new OAuth2Error('invalid_request', 'The request body must be UTF-8.');
  }
  if (bytes.length === 0) return [];
  const text = decodeUtf8(bytes);
  if (mediaType === 'application/x-www-form-urlencoded') return parseForm(text, 'form body');
  if (mediaType === 'application/json') return parseFlatJson(text);
  throw new OAuth2Error(
    'invalid_request',
    'The request body must be application/x-www-form-urlencoded or application/json.',
  );
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new OAuth2Error('invalid_request', 'The request body is not valid UTF-8.');
  }
}
