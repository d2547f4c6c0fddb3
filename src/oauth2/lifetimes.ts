import type { ClientRow } from '../storage/types';

/** Seconds. */
export interface TokenLifetimes {
  accessToken: number;
  refreshToken: number;
}

/** How long a client's tokens live: a policy of the client, decided where tokens are issued. */
export type LifetimePolicy = (client: Pick<ClientRow, 'accessTtl' | 'refreshTtl'>) => TokenLifetimes;

/** The client's own setting (ClearPass sets them per API client), else the gateway default. */
export function configuredLifetimes(defaults: TokenLifetimes): LifetimePolicy {
  const { accessToken, refreshToken } = defaults;
  return (client) => ({ accessToken: client.accessTtl ?? accessToken, refreshToken: client.refreshTtl ?? refreshToken });
}

/** Whether this client receives refresh tokens at all (ClearPass "Allow the use of refresh tokens"). */
export function issuesRefreshTokens(client: Pick<ClientRow, 'refresh' | 'grants'>): boolean {
  return client.refresh && client.grants.includes('refresh_token');
}
