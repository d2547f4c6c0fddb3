import type { Context } from './context';
import { publicOrigin, type OriginConfig, type OriginFallback, type OriginRequest, type PublicOrigin } from './public-origin';

/** The facts of a Koa request that public-origin.ts reads (headers are only believed from trusted proxies). */
export function originRequest(ctx: Context): OriginRequest {
  const socket = ctx.req.socket as typeof ctx.req.socket & { encrypted?: boolean };
  return {
    host: ctx.get('host') || null,
    remoteAddress: socket.remoteAddress ?? null,
    localAddress: socket.localAddress ?? null,
    localPort: socket.localPort ?? null,
    encrypted: socket.encrypted === true,
    xForwardedProto: ctx.get('x-forwarded-proto') || null,
    xForwardedHost: ctx.get('x-forwarded-host') || null,
    forwarded: ctx.get('forwarded') || null,
  };
}

/** The deps' origin settings (GatewayDeps.origin). */
type Origins = { origin: OriginConfig };

function originOf(ctx: Context, deps: Origins, fallback: OriginFallback): PublicOrigin {
  // A configured public URL is publicOrigin's first answer: the request's fields need not be read.
  return deps.origin.configured ?? publicOrigin(originRequest(ctx), deps.origin, fallback);
}

/**
 * The gateway's public base URL (no trailing slash) for absolute URLs in answers: the OAuth 2.0
 * issuer and metadata, `iss`, the device `verification_uri`, OAuth 1.0a's `xoauth_user_auth_url`
 * and API base URL, `X-Forwarded-Host`. Configured, else from a trusted proxy, else the listen
 * address: never the client's Host header.
 */
export function publicBase(ctx: Context, deps: Origins): string {
  return originOf(ctx, deps, 'listen').origin;
}

/** Whether the client reached the gateway over TLS (the public URL, a trusted proxy, or the socket says so). */
export function reachedOverTls(ctx: Context, deps: Origins): boolean {
  return originOf(ctx, deps, 'listen').https;
}
