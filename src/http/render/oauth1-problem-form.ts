import { percentEncode } from '../../oauth1/encoding';
import { problemCodeFor } from '../../oauth1/problems';
import type { Challenge, ProtocolError } from '../protocol-error';
import { authenticateHeader } from './challenge';
import { NO_STORE } from '../security-headers';
import type { RenderedError } from './rendered';

export interface OAuth1RenderOptions {
  /** config oauth1.realm, named in the challenge of a 401. */
  realm: string;
}

/**
 * An OAuth Problem Reporting answer (the oauth.net extension to OAuth 1.0), form-encoded with RFC
 * 5849 percent-encoding: oauth_problem, oauth_problem_advice, then the refusal's own parameters
 * (oauth_acceptable_timestamps, oauth_parameters_absent, ...). The extension forbids codes of its
 * own making, so a refusal of the gateway's shared vocabulary is reported as its nearest problem, or
 * by its status and advice alone when none fits (problemCodeFor). A 401 names the OAuth scheme
 * (RFC 5849 section 3.2, RFC 9110 section 11.6.1).
 */
export function renderOAuth1Problem(error: ProtocolError, options: OAuth1RenderOptions): RenderedError {
  const pairs: Array<[string, string]> = [];
  const problem = problemCodeFor(error.code);
  if (problem) pairs.push(['oauth_problem', problem]);
  if (error.description) pairs.push(['oauth_problem_advice', error.description]);
  pairs.push(...Object.entries(error.parameters));
  const challenges: readonly Challenge[] =
    error.status === 401 && error.challenges.length === 0 ? [{ scheme: 'OAuth', realm: options.realm }] : error.challenges;
  return {
    status: error.status,
    headers: { ...error.headers, ...authenticateHeader(error, challenges), ...NO_STORE },
    type: 'application/x-www-form-urlencoded',
    body: pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&'),
  };
}
