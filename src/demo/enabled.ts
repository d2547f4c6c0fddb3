import { deepFreeze, type GatewayConfig } from '../config';
import { routeSchema } from '../config/schema';
import { DEMO_CALLBACK_PATH } from './callback-page';

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

/**
 * The configuration the demo sandbox runs with: the loaded one (which stays as loaded) with the demo
 * backend as its upstream, and its callback page (the demo clients' redirect URI) as a public route. The banner shows a PLAINTEXT curl over http; PLAINTEXT needs TLS
 * everywhere else, so only a sandbox on loopback (demo data, nothing real behind it) turns the
 * development setting on.
 */
export function demoConfig(config: GatewayConfig, backendUrl: string): GatewayConfig {
  const loopback = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/.test(config.server.host);
  // The demo client's redirect URI is a page of the demo backend: a public route, no credentials.
  const callbackRoute = routeSchema.parse({ prefix: DEMO_CALLBACK_PATH, upstream: backendUrl, accept: ['public'] });
  return deepFreeze({
    ...config,
    upstream: backendUrl,
    routes: [...config.routes, callbackRoute],
    oauth1: { ...config.oauth1, plaintextOverHttp: config.oauth1.plaintextOverHttp || loopback },
  });
}
