export { loadConfig, deepMerge } from './load';
export type { LoadOptions } from './load';
export { configSchema, routeSchema } from './schema';
export type { GatewayConfig, RouteConfig } from './schema';
export { ConfigError } from './errors';
export { environmentOverrides } from './env';
export { deepFreeze } from './freeze';
