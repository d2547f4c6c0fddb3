import type { ProtocolError } from '../protocol-error';
import { authenticateHeader } from './challenge';
import { NO_STORE } from '../security-headers';
import type { RenderedError } from './rendered';

/** Where the admin API's problem types are named: one URN per refusal code (RFC 9457 section 3.1.1 allows any URI). */
export const PROBLEM_TYPE_PREFIX = 'urn:oauth-gateway:problem:';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * RFC 9457 Problem Details, served as application/problem+json: the admin API's every refusal. The
 * refusal's code is the type's last segment and an extension member (`code`), so a script can key on
 * either; the challenge of a 401 or 403 stays in WWW-Authenticate.
 */
export function renderProblemJson(error: ProtocolError): RenderedError {
  return {
    status: error.status,
    type: 'application/problem+json',
    headers: { ...error.headers, ...authenticateHeader(error), ...NO_STORE },
    body: JSON.stringify({
      type: PROBLEM_TYPE_PREFIX + error.code,
      title: error.title ?? titles[error.status] ?? 'Error',
      status: error.status,
      detail: error.description,
      code: error.code,
      ...error.parameters,
    }),
  };
}
