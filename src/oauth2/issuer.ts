import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { publicBase } from '../http/public-base';

/**
 * The issuer identifier exactly as the metadata document announces it (RFC 9207 section 2.4: the
 * client compares the two as strings): the gateway's public base, never the request's Host.
 */
/**
 * The issuer where no request is at hand (a JWT access token issued by an endpoint that did not say):
 * the configured public URL, else the listen address is unknown here, so the bare config value.
 */
export function configuredIssuer(deps: Pick<GatewayDeps, 'config'>): string {
  return (deps.config.server.publicUrl ?? `http://${deps.config.server.host}:${deps.config.server.port}`).replace(/\/+$/, '');
}

export function issuerFor(ctx: Context, deps: Pick<GatewayDeps, 'origin'>): string {
  return publicBase(ctx, deps);
}
