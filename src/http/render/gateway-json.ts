import type { ProtocolError } from '../protocol-error';
import { authenticateHeader } from './challenge';
import { NO_STORE } from '../security-headers';
import type { RenderedError } from './rendered';

/**
 * The gateway's own JSON, `{ error, error_description }` in RFC 6749's shape: protected routes
 * (with one challenge per accepted protocol, or RFC 6750's bearer challenge), bearer resources, and
 * every path of no protocol (404, 413, 502, ...).
 */
export function renderGatewayJson(error: ProtocolError): RenderedError {
  return {
    status: error.status,
    headers: { ...error.headers, ...authenticateHeader(error), ...NO_STORE },
    body: { error: error.code, error_description: error.description, ...error.parameters },
  };
}
