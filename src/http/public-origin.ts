import { isTrustedProxy, normaliseAddress } from './trusted-proxy';

/**
 * Where a request came in from outside: the scheme and authority (and path prefix) the client used.
 * One pure function serves OAuth 1.0a (the URI a signature covers) and every absolute URL the
 * gateway writes into an answer (issuer, metadata, `iss`, `verification_uri`,
 * `xoauth_user_auth_url`, `X-Forwarded-Host`). The answer comes from configuration first, then from
 * a trusted proxy's forwarding headers; a client must never pick it.
 */

export interface OriginRequest {
  /** The Host header; believed only for signatures (see `fallback`). */
  host?: string | null;
  /** The socket peer address. */
  remoteAddress?: string | null;
  /** The address and port the connection arrived on (the listen address, never a header). */
  localAddress?: string | null;
  localPort?: number | null;
  /** The connection itself is TLS. */
  encrypted?: boolean;
  xForwardedProto?: string | null;
  xForwardedHost?: string | null;
  /** RFC 7239 Forwarded header. */
  forwarded?: string | null;
}

export interface OriginConfig {
  /** Where the gateway is reachable (the configured public URL, parsed once by originConfig), or null. */
  configured: PublicOrigin | null;
  /** Peer addresses whose forwarding headers are believed. */
  trustedProxies: readonly string[];
}

/**
 * What stands in when neither configuration nor a trusted proxy names the origin:
 * - `host`: the Host header. Only for checking a signature: the client signed what it used, and a
 *   lie about it only makes its own signature fail.
 * - `listen`: the address the connection arrived on. For URLs the gateway hands out, which a Host
 *   header must not steer (poisoned caches, phishing links in metadata and device codes).
 */
export type OriginFallback = 'host' | 'listen';

export interface PublicOrigin {
  /** scheme://authority[/prefix], without a trailing slash. */
  origin: string;
  https: boolean;
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

/**
 * The origin settings as every request reads them. The configured public URL (possibly with a path
 * prefix, https://x/gw) is the same for every request: the runtime parses it once, here.
 */
export function originConfig(server: { publicUrl: string | null; trustedProxies: readonly string[] }): OriginConfig {
  if (!server.publicUrl) return { configured: null, trustedProxies: server.trustedProxies };
  const pub = new URL(server.publicUrl);
  return {
    configured: { origin: `${pub.protocol}//${pub.host}${pub.pathname.replace(/\/+$/, '')}`, https: pub.protocol === 'https:' },
    trustedProxies: server.trustedProxies,
  };
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

function listenAuthority(request: OriginRequest): string | null {
  const address = request.localAddress ? normaliseAddress(request.localAddress) : null;
  if (!address || !request.localPort) return null;
  return address.includes(':') ? `[${address}]:${request.localPort}` : `${address}:${request.localPort}`;
}

/**
 * The public origin of a request: the configured public URL; else what a trusted proxy says
 * (RFC 7239 Forwarded, then X-Forwarded-Proto/-Host); else the connection itself, with the Host
 * header or the listen address as `fallback` says. Throws UnknownRequestHost when nothing names it.
 */
export function publicOrigin(request: OriginRequest, config: OriginConfig, fallback: OriginFallback): PublicOrigin {
  if (config.configured) return config.configured;

  let scheme: 'http' | 'https' = request.encrypted ? 'https' : 'http';
  let authority = fallback === 'host' ? validAuthority(request.host) : listenAuthority(request);
  if (isTrustedProxy(request.remoteAddress, config.trustedProxies)) {
    const forwarded = parseForwarded(request.forwarded);
    scheme = validProto(forwarded.proto) ?? validProto(firstListValue(request.xForwardedProto)) ?? scheme;
    authority = validAuthority(forwarded.host) ?? validAuthority(firstListValue(request.xForwardedHost)) ?? authority;
  }
  if (!authority) throw new UnknownRequestHost();
  return { origin: `${scheme}://${authority}`, https: scheme === 'https' };
}
