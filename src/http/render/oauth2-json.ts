import { oauth2CodeFor } from '../../oauth2/errors';
import type { ProtocolError } from '../protocol-error';
import { authenticateHeader, safeDescription } from './challenge';
import { NO_STORE } from '../security-headers';
import type { RenderedError } from './rendered';

/**
 * RFC 6749 section 5.2 JSON: `error` (a lockout, raised in the gateway's shared vocabulary, is
 * invalid_request here), `error_description` within the characters section 5.2 allows, never cached.
 * invalid_client's Basic challenge and any other comes from the refusal's data.
 */
export function renderOAuth2Json(error: ProtocolError): RenderedError {
  return {
    status: error.status,
    headers: { ...error.headers, ...authenticateHeader(error), ...NO_STORE },
    body: { error: oauth2CodeFor(error.code), error_description: safeDescription(error.description), ...error.parameters },
  };
}
