import { CALLBACK_MATCHES, registrationProblem, type CallbackMatch } from '../oauth1/callback';
import { isScopeToken } from '../oauth2/scope';

/** The fields of the administration inputs (accounts/admin.ts) that an error can name. */
export type InputField =
  | 'name'
  | 'username'
  | 'password'
  | 'grants'
  | 'redirectUris'
  | 'id'
  | 'callback'
  | 'callbackMatch'
  | 'accessTtl'
  | 'refreshTtl'
  | 'codeTtl'
  | 'rsaPublicKey'
  | 'allowLegacyRsaKey'
  | 'signatureMethods'
  | 'requestor'
  | 'idTokenAlg'
  | 'accessTokenFormat';

/**
 * How a caller names those fields in its own interface: the CLI by its flags (cli/flags.ts).
 * `false` names the field given as false, which removes a setting (`callback: false`, `--no-callback`).
 */
export type FieldNames = (field: InputField, value?: false) => string;

const inputNames: FieldNames = (field, value) => (value === false ? `${field}: false` : field);

/**
 * Bad operator input (from the CLI or the demo seed): one line saying what is wrong; nothing is
 * written. The message names fields as the input does (`name is required`); describe() names them
 * as the caller's interface does (`--name is required`), so no interface's vocabulary lives here.
 */
export class InvalidInputError extends Error {
  private readonly text: (name: FieldNames) => string;

  constructor(message: string | ((name: FieldNames) => string)) {
    const text = typeof message === 'string' ? () => message : message;
    super(text(inputNames));
    this.text = text;
    this.name = 'InvalidInputError';
  }

  describe(name: FieldNames): string {
    return this.text(name);
  }
}

export const grantNames = ['authorization_code', 'password', 'client_credentials', 'refresh_token', 'device_code', 'external_token', 'token_exchange'] as const;
export type GrantName = (typeof grantNames)[number];

const forbiddenSchemes = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:']);

export function requireText(value: string | undefined, field: InputField): string {
  if (value === undefined || value.trim() === '') throw new InvalidInputError((n) => `${n(field)} is required`);
  return value.trim();
}

export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseGrants(value: string | undefined): GrantName[] {
  const grants = parseList(value).map((g) =>
    g === 'urn:ietf:params:oauth:grant-type:device_code' ? 'device_code' : g === 'urn:ietf:params:oauth:grant-type:token-exchange' ? 'token_exchange' : g,
  );
  if (grants.length === 0) throw new InvalidInputError((n) => `${n('grants')} needs at least one grant`);
  for (const g of grants) {
    if (g === 'implicit') continue; // accepted for `implicit: true` (addClient takes it out of the grants)
    if (!(grantNames as readonly string[]).includes(g)) {
      throw new InvalidInputError(`unknown grant "${g}" (known: ${grantNames.join(', ')}, implicit)`);
    }
  }
  return [...new Set(grants)] as GrantName[];
}

export function parseScopes(value: string | undefined): string[] {
  const scopes = parseList(value);
  for (const s of scopes) if (!isScopeToken(s)) throw new InvalidInputError(`scope "${s}" has characters RFC 6749 does not allow`);
  return [...new Set(scopes)];
}

/** RFC 6749 section 3.1.2: absolute, no fragment; custom schemes allowed for native apps. */
export function parseRedirectUri(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(`redirect URI "${value}" is not an absolute URL`);
  }
  if (forbiddenSchemes.has(url.protocol)) throw new InvalidInputError(`redirect URI "${value}" uses a forbidden scheme`);
  if (value.includes('#')) throw new InvalidInputError(`redirect URI "${value}" must not contain a fragment`);
  return value;
}

/** A consumer's registered OAuth 1.0a callback: "oob", an absolute http(s) URL or a native app's scheme. */
export function parseCallback(value: string): string {
  const problem = registrationProblem(value);
  if (problem !== null) throw new InvalidInputError(`callback "${value}" ${problem}`);
  return value;
}

export function parseCallbackMatch(value: string | undefined): CallbackMatch {
  const mode = value ?? 'prefix';
  if (!(CALLBACK_MATCHES as readonly string[]).includes(mode)) {
    throw new InvalidInputError((n) => `${n('callbackMatch')} must be ${CALLBACK_MATCHES.join(' or ')}`);
  }
  return mode as CallbackMatch;
}

export function parseSeconds(value: string | undefined, field: InputField, max?: number): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) <= 0) throw new InvalidInputError((n) => `${n(field)} must be a positive whole number of seconds`);
  const seconds = Number(value);
  if (max !== undefined && seconds > max) throw new InvalidInputError((n) => `${n(field)} must be at most ${max} seconds`);
  return seconds;
}
