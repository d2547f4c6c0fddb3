import { ProtocolError } from '../http/protocol-error';

// The admin API's own refusals (rendered as RFC 9457 Problem Details by http/render/problem-json.ts).

export const notFound = (what: string) => new ProtocolError('not_found', `No ${what} by that name.`, { status: 404 });
export const invalidInput = (detail: string) => new ProtocolError('invalid_input', detail, { status: 400 });
export const conflict = (detail: string) => new ProtocolError('conflict', detail, { status: 409 });
export const preconditionRequired = () =>
  new ProtocolError('precondition_required', 'An update needs If-Match with the ETag of the representation it changes.', { status: 428 });
export const preconditionFailed = () =>
  new ProtocolError('precondition_failed', 'The resource has changed since that ETag: read it again and retry.', { status: 412 });
export const notFromHere = () =>
  new ProtocolError('forbidden_address', 'The admin API answers only on loopback (config admin.remote).', { status: 403 });
export const unsupportedMediaType = () =>
  new ProtocolError('unsupported_media_type', 'The request body must be application/json.', { status: 415 });
