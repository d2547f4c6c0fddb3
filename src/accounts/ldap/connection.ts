import fs from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type { LdapConfig } from '../../config/ldap';

// How the gateway reaches its directory: the service account's password and the TLS options.

/** The service account's password: from the config (or GATEWAY_LDAP_BIND_PASSWORD), else its file, read once at start. */
export function readBindPassword(config: Pick<LdapConfig, 'bindPassword' | 'bindPasswordFile'>): string | null {
  if (config.bindPassword !== null) return config.bindPassword;
  if (config.bindPasswordFile === null) return null;
  try {
    // One trailing newline is the editor's, not the password's.
    return fs.readFileSync(config.bindPasswordFile, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new Error(`ldap.bindPasswordFile: cannot read ${config.bindPasswordFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function tlsOptionsOf(config: LdapConfig): ConnectionOptions {
  const hostname = new URL(config.url).hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    // The certificate is checked against the URL's host; a StartTLS upgrade has no host of its own
    // (Node would check against "localhost"). SNI takes names only, never an address (RFC 6066).
    host: hostname,
    ...(isIP(hostname) ? {} : { servername: hostname }),
    rejectUnauthorized: config.rejectUnauthorized,
    ...(config.caFile ? { ca: fs.readFileSync(config.caFile) } : {}),
  };
}
