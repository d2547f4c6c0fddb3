import { BoundedMap } from '../cache/bounded-map';
import type { Clock } from '../clock';
import type { ClientRepository, ClientRow, ConsumerRepository, ConsumerRow, Repositories, Store } from '../storage/types';
import type { RevocationFeed } from './feed';

/** Enough for every client and consumer of a deployment; a miss costs one (batched) read. */
const MAX_ROWS = 10_000;

export interface CachedPartiesOptions {
  feed: Pick<RevocationFeed, 'seen' | 'revokedAfter'>;
  clock: Clock;
  /** database.clientCacheSeconds: how long a row is served from memory (0: never). */
  ttlSeconds: number;
  maxRows?: number;
}

interface Cached<R> {
  row: R;
  /** The revocation log position read before the row was: a revocation after it makes the row stale. */
  seen: number;
}

/**
 * The rows of one kind of party (OAuth 2.0 clients or OAuth 1.0a consumers) kept in memory for a
 * few seconds: every token request and every OAuth 1.0a request reads its party, and on a busy node
 * the same few rows. A row is dropped at once when this process changes it (evict), and when the
 * revocation log, which every node follows, names the party after the row was read: disabling a
 * client or consumer (CLI, another node) appends to the log, so the row stops being served here
 * within the feed's bound (at once with Redis, about a second without), as cached tokens do. Other
 * changes made elsewhere (a consumer's callback) reach this node within the TTL. Unknown ids are
 * not cached: a guessed client_id leaves no state behind.
 */
class PartyRows<R extends object> {
  private readonly rows: BoundedMap<Cached<R>>;
  /** Bumped by every eviction: a read that started before one does not cache what it read. */
  private generation = 0;

  constructor(
    private readonly protocol: 'oauth2' | 'oauth1',
    private readonly load: (id: string) => Promise<R | null>,
    private readonly options: CachedPartiesOptions,
  ) {
    this.rows = new BoundedMap(options.maxRows ?? MAX_ROWS);
  }

  async get(id: string): Promise<R | null> {
    const { feed, clock, ttlSeconds } = this.options;
    if (ttlSeconds <= 0) return this.load(id);
    const hit = this.rows.get(id, clock());
    if (hit && !feed.revokedAfter({ protocol: this.protocol, userId: null, clientId: id }, hit.seen)) return { ...hit.row };
    const seen = feed.seen;
    const generation = this.generation;
    const row = await this.load(id);
    if (row !== null && generation === this.generation) this.rows.set(id, { row: { ...row }, seen }, clock() + ttlSeconds * 1000);
    return row;
  }

  evict(id: string): void {
    this.generation++;
    this.rows.delete(id);
  }
}

/** Runs a change, then forgets the party's row whatever came of it (a failed change may still have reached the database). */
async function thenEvict<T>(rows: { evict(id: string): void }, id: string, change: Promise<T>): Promise<T> {
  try {
    return await change;
  } finally {
    rows.evict(id);
  }
}

/**
 * The store with its client and consumer reads served from memory (see PartyRows). Changes made
 * through it (outside or inside a transaction) drop the row on this node: once when the statement
 * ran, and again when the transaction ended, as a read between the two may have cached the row
 * as it was before the commit.
 */
export function withCachedParties(store: Store, options: CachedPartiesOptions): Store {
  const clientRows = new PartyRows<ClientRow>('oauth2', (id) => store.clients.findById(id), options);
  const consumerRows = new PartyRows<ConsumerRow>('oauth1', (key) => store.consumers.findByKey(key), options);

  const evicting = (repos: Repositories, changed: Array<() => void>): Pick<Repositories, 'clients' | 'consumers'> => {
    // Every change of a row, whatever it changes (enabled, callback, admin API update, secret, delete).
    const onClient = <T>(clientId: string, change: () => Promise<T>): Promise<T> => {
      changed.push(() => clientRows.evict(clientId));
      return thenEvict(clientRows, clientId, change());
    };
    const onConsumer = <T>(key: string, change: () => Promise<T>): Promise<T> => {
      changed.push(() => consumerRows.evict(key));
      return thenEvict(consumerRows, key, change());
    };
    const clients: ClientRepository = {
      ...repos.clients,
      setEnabled: (clientId, enabled) => onClient(clientId, () => repos.clients.setEnabled(clientId, enabled)),
      update: (clientId, version, changes) => onClient(clientId, () => repos.clients.update(clientId, version, changes)),
      setSecret: (clientId, secretHash, previous) => onClient(clientId, () => repos.clients.setSecret(clientId, secretHash, previous)),
      delete: (clientId) => onClient(clientId, () => repos.clients.delete(clientId)),
    };
    const consumers: ConsumerRepository = {
      ...repos.consumers,
      setEnabled: (key, enabled) => onConsumer(key, () => repos.consumers.setEnabled(key, enabled)),
      setCallback: (key, callbackUrl, callbackMatch) => onConsumer(key, () => repos.consumers.setCallback(key, callbackUrl, callbackMatch)),
      update: (key, version, changes) => onConsumer(key, () => repos.consumers.update(key, version, changes)),
      setSecret: (key, secretEnc, previous) => onConsumer(key, () => repos.consumers.setSecret(key, secretEnc, previous)),
      delete: (key) => onConsumer(key, () => repos.consumers.delete(key)),
    };
    return { clients, consumers };
  };

  const root = evicting(store, []);
  return {
    ...store,
    clients: { ...root.clients, findById: (clientId) => clientRows.get(clientId) },
    consumers: { ...root.consumers, findByKey: (key) => consumerRows.get(key) },
    async transaction(fn) {
      const changed: Array<() => void> = [];
      try {
        return await store.transaction((tx) => fn({ ...tx, ...evicting(tx, changed) }));
      } finally {
        for (const evict of changed) evict();
      }
    },
  };
}
