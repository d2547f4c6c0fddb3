import { ProtocolError } from '../http/protocol-error';
import { percentEncode } from './encoding';

/**
 * OAuth Problem Reporting (the oauth.net ProblemReporting extension to OAuth 1.0): the codes a
 * service provider sends back as `oauth_problem`, each with the HTTP status RFC 5849 section 3.2
 * gives it: 400 for a request that is malformed (unsupported or missing or repeated parameter,
 * unsupported signature method), 401 for one that is well formed but not authentic (client
 * credentials, token, signature, nonce). Permission problems are about an authentic caller that
 * may not do this, so they answer 403, except `permission_unknown`, which only means "not yet".
 */
export const PROBLEM_STATUS = {
  version_rejected: 400,
  parameter_absent: 400,
  parameter_rejected: 400,
  signature_method_rejected: 400,
  // A stale timestamp is replay protection, like the nonce: not authentic rather than malformed.
  timestamp_refused: 401,
  nonce_used: 401,
  signature_invalid: 401,
  consumer_key_unknown: 401,
  consumer_key_rejected: 401,
  consumer_key_refused: 401,
  token_used: 401,
  token_expired: 401,
  token_revoked: 401,
  token_rejected: 401,
  verifier_invalid: 401,
  permission_unknown: 401,
  permission_denied: 403,
  additional_authorization_required: 403,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

export interface ProblemOptions {
  /** Overrides the status from PROBLEM_STATUS. */
  status?: number;
  /** A sentence for a human (oauth_problem_advice). Never put a secret, token or base string here. */
  advice?: string;
  /** Further report parameters, e.g. oauth_acceptable_timestamps, oauth_parameters_absent. */
  extra?: Record<string, string>;
  /** Response headers the refusal needs (Retry-After, Allow). */
  headers?: Record<string, string>;
}

/**
 * A refusal the OAuth 1.0a endpoints report to the client, as data: the problem code, its status,
 * the advice and the report's further parameters. The core knows nothing about HTTP answers:
 * http/render/oauth1-problem-form.ts writes the form-encoded report.
 */
export class OAuth1Problem extends ProtocolError {
  constructor(problem: ProblemCode, options: ProblemOptions = {}) {
    super(problem, options.advice ?? '', { status: options.status ?? PROBLEM_STATUS[problem], parameters: options.extra, headers: options.headers });
  }

  get problem(): ProblemCode {
    return this.code as ProblemCode;
  }

  get advice(): string | undefined {
    return this.description || undefined;
  }

  get extra(): Readonly<Record<string, string>> {
    return this.parameters;
  }
}

// What a refusal of the gateway's shared vocabulary (http/conditions.ts, a body that can't be read)
// is reported as: the nearest problem the extension defines.
const NEAREST_PROBLEM: ReadonlyMap<string, ProblemCode> = new Map([
  ['invalid_request', 'parameter_rejected'],
  ['request_too_large', 'parameter_rejected'],
  ['too_many_attempts', 'permission_denied'],
]);

/**
 * The oauth_problem a refusal is reported with. "Other values of oauth_problem MUST NOT be used",
 * says the extension, so a refusal with no near problem (the gateway is unavailable) gets none: its
 * status and advice say it.
 */
export function problemCodeFor(code: string): ProblemCode | null {
  return Object.hasOwn(PROBLEM_STATUS, code) ? (code as ProblemCode) : (NEAREST_PROBLEM.get(code) ?? null);
}

/**
 * The extension sends a list of parameter names as one value: each name percent-encoded, joined by
 * `&` (the whole value is then encoded again when it goes into the form).
 */
export function parameterList(names: readonly string[]): string {
  return names.map(percentEncode).join('&');
}

export function parameterAbsent(names: readonly string[]): OAuth1Problem {
  return new OAuth1Problem('parameter_absent', {
    advice: `Required parameter missing: ${names.join(', ')}.`,
    extra: { oauth_parameters_absent: parameterList(names) },
  });
}

export function parameterRejected(names: readonly string[], advice: string): OAuth1Problem {
  return new OAuth1Problem('parameter_rejected', {
    advice,
    extra: { oauth_parameters_rejected: parameterList(names) },
  });
}

/** `min` and `max` are epoch seconds, inclusive. */
export function timestampRefused(min: number, max: number, options: { status?: number; advice?: string } = {}): OAuth1Problem {
  return new OAuth1Problem('timestamp_refused', {
    status: options.status,
    advice: options.advice ?? 'The timestamp is outside the accepted window; check the client clock.',
    extra: { oauth_acceptable_timestamps: `${min}-${max}` },
  });
}
