import type { Clock } from '../clock';
import type { IssuerConfig } from '../config/issuers';
import { IssuerUnavailableError } from './errors';
import { fetchJson, type IssuerHttp } from './fetch-json';

/** Where an issuer's keys and introspection endpoint are: from the config, else from its metadata. */
export interface IssuerEndpoints {
  jwksUri: string | null;
  introspectionUrl: string | null;
}

// After a failed discovery the next request may try again this much later, not at once: an issuer
// that is down is not asked by every request.
const RETRY_AFTER_FAILURE_MS = 5_000;

/** The metadata documents tried in turn (OpenID Connect Discovery 1.0, then RFC 8414). */
export function metadataUrls(issuer: string): string[] {
  const base = issuer.replace(/\/+$/, '');
  return [`${base}/.well-known/openid-configuration`, `${base}/.well-known/oauth-authorization-server`];
}

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' && /^https?:\/\//.test(v) ? v : null);

/**
 * The endpoints of one issuer, discovered once on first need (not at start: a gateway starts while
 * an issuer is down) and kept. A metadata document whose `issuer` is not the configured one is
 * refused (RFC 8414 section 3.3: it could be an impersonator's).
 */
export class Discovery {
  private found: IssuerEndpoints | null = null;
  private pending: Promise<IssuerEndpoints> | null = null;
  private failedAt = -Infinity;

  constructor(
    private readonly config: Pick<IssuerConfig, 'name' | 'issuer' | 'discovery' | 'jwksUri' | 'introspection'>,
    private readonly http: IssuerHttp,
    private readonly clock: Clock,
  ) {
    if (!this.needed()) this.found = { jwksUri: config.jwksUri, introspectionUrl: config.introspection?.url ?? null };
  }

  private needed(): boolean {
    const c = this.config;
    return c.discovery && (c.jwksUri === null || (c.introspection !== null && c.introspection.url === null));
  }

  async endpoints(): Promise<IssuerEndpoints> {
    if (this.found) return this.found;
    if (this.clock() - this.failedAt < RETRY_AFTER_FAILURE_MS) throw new IssuerUnavailableError(this.config.name, 'discovery');
    this.pending ??= this.discover().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async discover(): Promise<IssuerEndpoints> {
    for (const url of metadataUrls(this.config.issuer)) {
      let metadata: Record<string, unknown>;
      try {
        metadata = await fetchJson(this.http, 'discovery', url);
      } catch {
        continue;
      }
      if (metadata.issuer !== this.config.issuer) {
        this.http.logger.warn({ issuer: this.config.name }, 'discovery: the metadata names another issuer than the configured one; ignored');
        continue;
      }
      this.found = {
        jwksUri: this.config.jwksUri ?? stringOrNull(metadata.jwks_uri),
        introspectionUrl: this.config.introspection?.url ?? stringOrNull(metadata.introspection_endpoint),
      };
      return this.found;
    }
    this.failedAt = this.clock();
    throw new IssuerUnavailableError(this.config.name, 'discovery');
  }
}
