export { loadConfig, deepMerge } from './load';
export type { LoadOptions } from './load';
export { configSchema, routeSchema, credentialKinds } from './schema';
export type { GatewayConfig, RouteConfig, CredentialKind } from './schema';
export { ConfigError } from './errors';
export { environmentOverrides } from './env';
export { deepFreeze } from './freeze';
