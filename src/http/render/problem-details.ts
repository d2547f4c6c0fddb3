import { PROBLEM_TYPE } from '../../clearpass/problem';
import { oauth2CodeFor } from '../../oauth2/errors';
import type { ProtocolError } from '../protocol-error';
import { authenticateHeader } from './challenge';
import { NO_STORE } from '../security-headers';
import type { RenderedError } from './rendered';

/**
 * The ClearPass API's Problem Details (type, title, status, detail), served as application/json as
 * ClearPass does. Its title is the refusal's own (Forbidden, Not Acceptable) or the OAuth 2.0 code
 * it stands for, as the ClearPass guide's appendix B shows. A failed client authentication is 400
 * there, without the Basic challenge; a locked-out client stays 429 with its Retry-After, and a
 * bearer challenge stays (clients key on it).
 */
export function renderProblemDetails(error: ProtocolError): RenderedError {
  const clientAuthFailed = error.code === 'invalid_client' && error.status === 401;
  const status = clientAuthFailed ? 400 : error.status;
  return {
    status,
    headers: { ...error.headers, ...authenticateHeader(error, clientAuthFailed ? [] : error.challenges), ...NO_STORE },
    body: { type: PROBLEM_TYPE, title: error.title ?? oauth2CodeFor(error.code), status, detail: error.description, ...error.parameters },
  };
}
