import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { publicBase } from '../http/public-base';

/**
 * The issuer identifier exactly as the metadata document announces it (RFC 9207 section 2.4: the
 * client compares the two as strings): the gateway's public base, never the request's Host.
 */
export function issuerFor(ctx: Context, deps: Pick<GatewayDeps, 'origin'>): string {
  return publicBase(ctx, deps);
}
