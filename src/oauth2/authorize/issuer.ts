import type { Context } from 'koa';
import type { GatewayConfig } from '../../config';
import { publicBase } from '../../http/public-base';

/**
 * The issuer identifier exactly as the metadata document announces it (RFC 9207 section 2.4: the
 * client compares the two as strings): the gateway's public base, never the request's Host.
 */
export function issuerFor(ctx: Context, config: GatewayConfig): string {
  return publicBase(ctx, config);
}
