import type { GatewayConfig } from '../config';

/**
 * Whether `serve` starts the demo (a built-in backend, and accounts whose passwords it prints). Only
 * on a gateway configured to proxy nothing, the first `npm start` of a fresh checkout: an upstream or
 * a route means a real deployment, where known demo credentials must never exist, whatever `demo` says.
 */
export function demoRuns(config: Pick<GatewayConfig, 'demo' | 'upstream' | 'routes'>): boolean {
  return config.demo && !proxiesAnything(config);
}

export function proxiesAnything(config: Pick<GatewayConfig, 'upstream' | 'routes'>): boolean {
  return config.upstream !== null || config.routes.length > 0;
}
