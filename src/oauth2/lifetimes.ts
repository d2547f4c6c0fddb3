import type { GatewayConfig } from '../config';
import type { ClientRow } from '../storage/types';

// Token lifetime policies: the client's own setting (ClearPass sets them per API client), else the
// gateway default. Seconds.

export function accessTokenLifetime(client: Pick<ClientRow, 'accessTtl'>, config: GatewayConfig): number {
  return client.accessTtl ?? config.lifetimes.accessToken;
}

export function refreshTokenLifetime(client: Pick<ClientRow, 'refreshTtl'>, config: GatewayConfig): number {
  return client.refreshTtl ?? config.lifetimes.refreshToken;
}

/** Whether this client receives refresh tokens at all (ClearPass "Allow the use of refresh tokens"). */
export function issuesRefreshTokens(client: Pick<ClientRow, 'refresh' | 'grants'>): boolean {
  return client.refresh && client.grants.includes('refresh_token');
}
