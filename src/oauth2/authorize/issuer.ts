import type { Context } from 'koa';
import type { GatewayConfig } from '../../config';

/**
 * The issuer identifier exactly as the metadata document announces it (RFC 9207 section 2.4: the
 * client compares the two as strings): the configured public URL, else this request's origin.
 */
export function issuerFor(ctx: Context, config: GatewayConfig): string {
  return config.server.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}

/** The public base URL without a trailing slash, for absolute links to our own pages. */
export function publicBase(ctx: Context, config: GatewayConfig): string {
  return issuerFor(ctx, config).replace(/\/+$/, '');
}
