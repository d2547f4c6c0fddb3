import type Router from '@koa/router';
import { METHODS } from 'node:http';
import type { Middleware, RequestState } from './context';
import { refuseOtherMethods } from './method-not-allowed';

export type EndpointMethod = 'GET' | 'POST';

/**
 * One of the gateway's own endpoints as a pipeline: small named middlewares run in order, each
 * doing one step (name the route, declare the error format, CORS, read the parameters,
 * authenticate the client, handle). Steps hand their results on in ctx.state.
 */
export interface Endpoint {
  /** The path it answers on (several for an alias). */
  paths: readonly string[];
  /**
   * Run first for every request to the paths, whatever its method: the route's name, its error
   * format and CORS (which answers preflights), so a refused method is named, answered in the
   * endpoint's format and readable by an allowed origin's script.
   */
  common: readonly Middleware[];
  /** The methods it takes, each with its pipeline (run after `common`); any other is 405 with Allow. */
  methods: Readonly<Partial<Record<EndpointMethod, readonly Middleware[]>>>;
}

/** The methods an endpoint takes, as the Allow header names them (the router answers HEAD wherever GET). */
export function allowedMethods(endpoint: Pick<Endpoint, 'methods'>): string[] {
  const taken = Object.keys(endpoint.methods);
  return taken.includes('GET') ? [...taken, 'HEAD'] : taken;
}

/**
 * Mounts an endpoint on a router: its pipeline per method, and for every other method Node's HTTP
 * parser lets through (PUT, DELETE, but also PROPFIND or TRACE), the common steps and then 405 with
 * Allow, in the endpoint's format.
 */
export function mountEndpoint(router: Router<RequestState>, endpoint: Endpoint): void {
  const allow = allowedMethods(endpoint);
  const others = METHODS.filter((m) => !allow.includes(m));
  for (const path of endpoint.paths) {
    for (const [method, pipeline] of Object.entries(endpoint.methods)) {
      router.register(path, [method], [...endpoint.common, ...(pipeline ?? [])]);
    }
    router.register(path, others, [...endpoint.common, refuseOtherMethods(allow)]);
  }
}

/**
 * What an earlier step of the pipeline left in ctx.state. Missing, the endpoint lists its steps in
 * the wrong order: a bug of ours (500), never the client's.
 */
export function fromEarlierStep<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new Error(`${step} must run earlier in this endpoint's pipeline`);
  return value;
}
