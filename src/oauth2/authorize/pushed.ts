import { requestedClientId, type AuthorizeParams } from './request';

// RFC 9126 section 4: an authorization request that names a pushed one. Pure: which pushed request
// the browser brings; loading it is the endpoint's step (oauth2/par/pushed-requests.ts).

export interface PushedReference {
  clientId: string;
  requestUri: string;
}

/**
 * client_id and request_uri when the request names a pushed one, else null. Every other parameter
 * is ignored then: the pushed request is the whole request (section 4). A repeated request_uri is
 * no reference to anything (an empty one, refused as invalid_request_uri).
 */
export function pushedReference(params: AuthorizeParams): PushedReference | null {
  const sent = params.filter(([name]) => name === 'request_uri');
  if (sent.length === 0) return null;
  const clientId = requestedClientId(params); // section 4: client_id is required beside request_uri
  return { clientId, requestUri: sent.length === 1 ? sent[0][1] : '' };
}
