import { AuthorizationError } from './errors';

// OpenID Connect Core 1.0 section 3.1.2.1 request parameters that steer the sign-in: prompt,
// max_age and login_hint. Pure functions of the parameter values, the browser's sign-in and an
// injected time; the authorize flow only acts on their answers.

export interface Prompt {
  none: boolean;
  login: boolean;
  consent: boolean;
}

/**
 * The prompt values the gateway acts on. select_account is refused with the rest: a browser holds
 * one sign-in here, so there is no account to choose and pretending otherwise would mislead.
 */
const PROMPT_VALUES: ReadonlySet<string> = new Set(['none', 'login', 'consent']);

/** prompt, space-separated; an unknown value is invalid_request, and none stands alone (section 3.1.2.1). */
export function parsePrompt(value: string | undefined): Prompt {
  const values = new Set((value ?? '').split(' ').filter((v) => v !== ''));
  for (const v of values) {
    if (!PROMPT_VALUES.has(v)) throw new AuthorizationError('invalid_request', 'The prompt parameter holds a value this server does not support.');
  }
  const prompt = { none: values.has('none'), login: values.has('login'), consent: values.has('consent') };
  if (prompt.none && values.size > 1) throw new AuthorizationError('invalid_request', 'prompt=none cannot be combined with other prompt values.');
  return prompt;
}

const digits = /^[0-9]{1,10}$/;

/** max_age in seconds, or null when not sent; anything but a non-negative integer is invalid_request. */
export function parseMaxAge(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!digits.test(value)) throw new AuthorizationError('invalid_request', 'The max_age parameter must be a whole number of seconds.');
  return Number(value);
}

const controlCharacter = /[\x00-\x1f\x7f]/;

/**
 * login_hint, only to pre-fill the username field: it is a hint from the client, never an identity
 * (the user still types the password and may change the name). Control characters are dropped
 * rather than refused: a hint is optional and the request is fine without it.
 */
export function parseLoginHint(value: string | undefined): string | null {
  if (value === undefined || controlCharacter.test(value)) return null;
  const hint = value.trim();
  return hint === '' ? null : hint;
}

/** The browser's current sign-in, as far as these decisions need it. */
export interface CurrentSignIn {
  /** When the user typed the password (epoch ms). */
  authTime: number;
  signInId: string;
}

/**
 * Whether this request needs a sign-in newer than the one the browser has: prompt=login always;
 * max_age when the sign-in is older than that many seconds (max_age=0: always, section 3.1.2.1 makes
 * it the same as prompt=login). Without a sign-in there is nothing to set aside.
 */
export function freshSignInNeeded(request: { prompt: Prompt; maxAge: number | null }, current: CurrentSignIn | null, now: number): boolean {
  if (!current) return false;
  if (request.prompt.login) return true;
  if (request.maxAge === null) return false;
  return request.maxAge === 0 || now - current.authTime > request.maxAge * 1000;
}

/**
 * The sign-in to set aside for this request (see RequireLoginOptions.staleSignIn): the current one's
 * id when a fresh sign-in is needed, null when prompt=login meets a signed-out browser (any sign-in
 * will do), undefined when the current sign-in is good enough.
 */
export function staleSignInFor(request: { prompt: Prompt; maxAge: number | null }, current: CurrentSignIn | null, now: number): string | null | undefined {
  if (freshSignInNeeded(request, current, now)) return current?.signInId ?? null;
  return request.prompt.login ? null : undefined;
}
