import { baseStringUri } from './base-string';

/**
 * The URI the client signed against. Behind a TLS-terminating proxy the gateway sees http and an
 * internal host, while the client signed https and the public name, so the answer comes from
 * configuration first, then from a trusted proxy's forwarding headers, and only then from the
 * request itself. Headers from anyone else are ignored: a client must not pick the URI we check.
 */

export interface BaseUriRequest {
  /** The raw request target (path and query, as in Node's req.url). */
  url: string;
  host?: string | null;
  /** The socket peer address. */
  remoteAddress?: string | null;
  xForwardedProto?: string | null;
  xForwardedHost?: string | null;
  /** RFC 7239 Forwarded header. */
  forwarded?: string | null;
}

export interface BaseUriConfig {
  /** Where the gateway is reachable, possibly with a path prefix (https://x/gw). */
  publicUrl: string | null;
  /** Peer addresses whose forwarding headers are believed. */
  trustedProxies: readonly string[];
}

/** No Host header and nothing configured: the URI the client used cannot be known. */
export class UnknownRequestHost extends Error {
  readonly status = 400;
  constructor() {
    super('the request has no Host header');
    this.name = 'UnknownRequestHost';
  }
}

// host, IPv4 or [IPv6], optional port: anything else from a header is not used as an authority.
const AUTHORITY = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(?::[0-9]*)?$/;

function normaliseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  // An IPv4-mapped IPv6 peer ("::ffff:10.0.0.1") is the same proxy as "10.0.0.1".
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function isTrustedPeer(peer: string | null | undefined, trustedProxies: readonly string[]): boolean {
  if (!peer) return false;
  const p = normaliseAddress(peer);
  return trustedProxies.some((t) => normaliseAddress(t) === p);
}

// The configured public URL is the same for every request: parsed once, not once per signature.
let lastPublicUrl: string | null = null;
let lastPublicOrigin = '';

/** scheme://host[:port] and the path prefix of the public URL, without a trailing slash. */
function publicOrigin(publicUrl: string): string {
  if (publicUrl !== lastPublicUrl) {
    const pub = new URL(publicUrl);
    lastPublicOrigin = `${pub.protocol}//${pub.host}${pub.pathname.replace(/\/+$/, '')}`;
    lastPublicUrl = publicUrl;
  }
  return lastPublicOrigin;
}

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

function firstListValue(header: string | null | undefined): string | null {
  if (!header) return null;
  const first = header.split(',', 1)[0].trim();
  return first === '' ? null : first;
}

/** proto and host from the first element of an RFC 7239 Forwarded header. */
function parseForwarded(header: string | null | undefined): { proto: string | null; host: string | null } {
  const element = firstListValue(header);
  const out = { proto: null as string | null, host: null as string | null };
  if (!element) return out;
  for (const pair of element.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim().toLowerCase();
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (key === 'proto') out.proto = value;
    if (key === 'host') out.host = value;
  }
  return out;
}

function validProto(value: string | null): 'http' | 'https' | null {
  const v = value?.toLowerCase();
  return v === 'http' || v === 'https' ? v : null;
}

function validAuthority(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v && AUTHORITY.test(v) ? v : null;
}

export function requestBaseUri(request: BaseUriRequest, config: BaseUriConfig): string {
  const path = requestPath(request.url);

  if (config.publicUrl) return baseStringUri(publicOrigin(config.publicUrl) + path);

  let scheme: 'http' | 'https' = 'http';
  let authority = validAuthority(request.host);
  if (isTrustedPeer(request.remoteAddress, config.trustedProxies)) {
    const forwarded = parseForwarded(request.forwarded);
    scheme = validProto(forwarded.proto) ?? validProto(firstListValue(request.xForwardedProto)) ?? scheme;
    authority = validAuthority(forwarded.host) ?? validAuthority(firstListValue(request.xForwardedHost)) ?? authority;
  }
  if (!authority) throw new UnknownRequestHost();
  return baseStringUri(`${scheme}://${authority}${path}`);
}
