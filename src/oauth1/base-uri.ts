import { publicOrigin, type OriginConfig, type OriginRequest } from '../http/public-origin';
import { baseStringUri } from './base-string';

/**
 * The URI the client signed against. Behind a TLS-terminating proxy the gateway sees http and an
 * internal host, while the client signed https and the public name, so the answer comes from
 * configuration first, then from a trusted proxy's forwarding headers, and only then from the
 * request's own Host header (the client signed what it used; a lie only breaks its own signature).
 */

export interface BaseUriRequest extends OriginRequest {
  /** The raw request target (path and query, as in Node's req.url). */
  url: string;
}

export type BaseUriConfig = OriginConfig;

/** The path part of a request target; absolute-form targets lose their scheme and authority. */
function requestPath(url: string): string {
  if (url.startsWith('/')) {
    // The usual origin-form request target: the path is everything before the query or fragment.
    const end = url.search(/[?#]/);
    return end < 0 ? url : url.slice(0, end);
  }
  const withoutOrigin = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '');
  const path = withoutOrigin.split(/[?#]/, 1)[0];
  return path.startsWith('/') ? path : `/${path}`;
}

export function requestBaseUri(request: BaseUriRequest, config: BaseUriConfig): string {
  return baseUriAt(publicOrigin(request, config, 'host').origin, request.url);
}

/** The base string URI of a request target at a known origin (a configured public URL: the request's own fields play no part). */
export function baseUriAt(origin: string, url: string): string {
  return baseStringUri(origin + requestPath(url));
}
