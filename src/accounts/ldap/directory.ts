import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, SizeLimitExceededError, type Entry } from 'ldapts';
import type { LdapConfig } from '../../config/ldap';
import type { Clock } from '../../clock';
import type { Logger } from '../../http/logger';
import { CheckSlots } from './check-slots';
import { readBindPassword, tlsOptionsOf } from './connection';
import { DirectoryUnavailableError } from './errors';
import { DirectoryOutageLog } from './outage-log';
import { fillFilter } from './filter';
import { normalizeDN } from './profiles';

/** What the directory holds about a user whose password it accepted. */
export interface DirectoryEntry {
  readonly dn: string;
  readonly displayName: string | null;
  readonly email: string | null;
  /** DNs of the groups the user is in (normalized: profiles.ts normalizeDN). */
  readonly groups: readonly string[];
}

/**
 * The directory's answer about a username and password:
 * - not found: no entry matches the search (the next user store may know the name);
 * - found, entry null: the entry exists and the password is wrong (or empty, or the name matches
 *   more than one entry): refused, no other store is asked;
 * - found with the entry: the password is right.
 * A directory that cannot answer throws DirectoryUnavailableError instead.
 */
export type DirectoryVerdict = { readonly found: false } | { readonly found: true; readonly entry: DirectoryEntry | null };

export interface LdapDirectoryOptions {
  config: LdapConfig;
  logger: Logger;
  clock: Clock;
}

/** The first value of an attribute, whatever case the server spelt its name in. */
function firstValue(entry: Entry, attribute: string): string | null {
  const name = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!name) return null;
  const raw = entry[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return null;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return text === '' ? null : text.slice(0, 255);
}

/**
 * A user directory reached with ldapts. Each check opens its own connection (StartTLS first when
 * configured), binds as the service account, searches the user (the username RFC 4515-escaped into
 * the filter), reads the user's groups, then binds as the user's DN with the password: the
 * directory, not the gateway, judges the password. A connection per check keeps one user's bind
 * from ever carrying over to another check; logins are rare next to proxied requests.
 *
 * Every LDAP operation has the configured time limit and the whole check a deadline, so a frozen
 * directory costs a login a few seconds, then 503.
 */
export class LdapDirectory {
  private readonly bindPassword: string | null;
  private readonly tls: ConnectionOptions | null;
  private readonly outage: DirectoryOutageLog;
  private readonly slots: CheckSlots;

  constructor(private readonly options: LdapDirectoryOptions) {
    const { config } = options;
    this.bindPassword = readBindPassword(config);
    this.tls = config.url.startsWith('ldaps:') || config.startTls ? tlsOptionsOf(config) : null;
    this.slots = new CheckSlots(config.maxConcurrent, config.maxQueued);
    this.outage = new DirectoryOutageLog(options.logger, options.clock);
  }

  private client(): Client {
    const { config } = this.options;
    return new Client({
      url: config.url,
      timeout: config.operationTimeoutSeconds * 1000,
      connectTimeout: config.connectTimeoutSeconds * 1000,
      // Options for ldaps://; StartTLS is given them below.
      ...(this.tls && config.url.startsWith('ldaps:') ? { tlsOptions: this.tls } : {}),
      // DNs come from the directory itself, in whatever form it writes them.
      strictDN: false,
    });
  }

  /** Connects (StartTLS if configured) and binds as the service account, or stays anonymous. */
  private async serviceSession(client: Client): Promise<void> {
    const { config } = this.options;
    // A copy: ldapts writes the socket into the options it is given.
    if (config.startTls && this.tls) await client.startTLS({ ...this.tls });
    if (config.bindDN !== null) await client.bind(config.bindDN, this.bindPassword ?? '');
  }

  private async groupsOf(client: Client, dn: string, username: string): Promise<string[]> {
    const { groups } = this.options.config;
    if (groups.searchBase === null) return [];
    const { searchEntries } = await client.search(groups.searchBase, {
      scope: groups.scope,
      filter: fillFilter(groups.searchFilter, { dn, username }),
      // "1.1": no attributes, the DNs are all the mapping needs (RFC 4511 section 4.5.1.8).
      attributes: ['1.1'],
      timeLimit: this.options.config.operationTimeoutSeconds,
    });
    return searchEntries.map((e) => normalizeDN(e.dn));
  }

  /**
   * One check within one deadline: the connect, then at most five operations (StartTLS, service
   * bind, user search, group search, user bind) each within its own limit. ldapts bounds each
   * operation but not the TLS handshake of a StartTLS, so the whole is bounded here as well.
   */
  verify(username: string, password: string): Promise<DirectoryVerdict> {
    // Busy is not an outage: it is answered 503 too, but says nothing about the directory's health.
    return this.slots.run(() => this.verifyNow(username, password));
  }

  private async verifyNow(username: string, password: string): Promise<DirectoryVerdict> {
    const { config } = this.options;
    const client = this.client();
    const deadlineMs = (config.connectTimeoutSeconds + 5 * config.operationTimeoutSeconds) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the LDAP check took longer than its deadline')), deadlineMs);
    });
    const checking = this.check(client, username, password);
    // Past the deadline the check may still fail later: nobody waits for it any more.
    checking.catch(() => undefined);
    try {
      const verdict = await Promise.race([checking, deadline]);
      this.outage.answered();
      return verdict;
    } catch (err) {
      // A fault of ours (a bug) stays a 500; everything the client or the socket raised is an outage.
      if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError) throw err;
      const unavailable = err instanceof DirectoryUnavailableError ? err : new DirectoryUnavailableError(err);
      this.outage.failed(unavailable);
      throw unavailable;
    } finally {
      clearTimeout(timer);
      // Fire and forget: a frozen directory must not hold the answer back.
      client.unbind().catch(() => undefined);
    }
  }

  private async check(client: Client, username: string, password: string): Promise<DirectoryVerdict> {
    const { config, logger } = this.options;
    await this.serviceSession(client);
    let entries: Entry[];
    try {
      ({ searchEntries: entries } = await client.search(config.searchBase, {
        scope: config.scope,
        filter: fillFilter(config.searchFilter, { username }),
        attributes: [config.displayNameAttribute, config.emailAttribute],
        // Two are enough to know the name is ambiguous.
        sizeLimit: 2,
        timeLimit: config.operationTimeoutSeconds,
      }));
    } catch (err) {
      if (!(err instanceof SizeLimitExceededError)) throw err;
      entries = [{ dn: '' }, { dn: '' }];
    }
    if (entries.length === 0) return { found: false };
    if (entries.length > 1) {
      // A filter that matches several entries for one name is a configuration problem; no guess is made.
      logger.warn('ldap: the search filter matches more than one entry for a username; sign-in refused');
      return { found: true, entry: null };
    }
    const found = entries[0]!;
    // An empty password would be an unauthenticated bind (RFC 4513 section 5.1.2), which directories accept.
    if (password === '') return { found: true, entry: null };
    const groups = await this.groupsOf(client, found.dn, username);
    try {
      await client.bind(found.dn, password);
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return { found: true, entry: null };
      throw err;
    }
    return {
      found: true,
      entry: {
        dn: found.dn,
        displayName: firstValue(found, config.displayNameAttribute),
        email: firstValue(found, config.emailAttribute),
        groups,
      },
    };
  }
}
