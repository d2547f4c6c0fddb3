import { ProtocolError } from '../http/protocol-error';

/** The `type` every ClearPass API error carries (the HTTP/1.1 status code definitions). */
export const PROBLEM_TYPE = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';

// The ClearPass API's own refusals, worded and titled as the ClearPass guide's appendix B shows them
// (http/render/problem-details.ts writes them, and every other refusal on the API, as Problem Details).

export const notAcceptable = () => new ProtocolError('not_acceptable', 'Cannot honor Accept type specified', { status: 406, title: 'Not Acceptable' });

export const noApiAccess = () =>
  new ProtocolError('insufficient_privileges', 'Client does not have \u2018Allow API Access\u2019 privilege', { status: 403, title: 'Forbidden' });
