import type { Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { CacheUnavailableError, type Cache, type GuessCounter, type SubscriptionEvents } from './types';
import { remainingSeconds, ttlMilliseconds } from './ttl';
import { ClaimBatch, type Claim } from './claim-batch';
import { socketClosed } from '../socket-close';
import { CLAIM, COUNT_ATTEMPT, DECREMENT, INCREMENT, runScript } from './redis-scripts';

export interface RedisCacheOptions {
  /** redis:// or rediss:// URL (may carry credentials and a database number). */
  url: string;
  /** Prepended to every key and channel, so several deployments can share one Redis. */
  keyPrefix?: string;
}

export const DEFAULT_KEY_PREFIX = 'oauth-gateway:';
const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;
// How long close() waits for the server to close the socket after QUIT before destroying it.
const SOCKET_CLOSE_WAIT_MS = 1000;
// How often a live subscription is checked with a PING: a frozen Redis or a silently dropped link
// closes no socket, and a subscriber that does not know it hears nothing must learn it in seconds.
const SUBSCRIPTION_CHECK_MS = 1000;

/**
 * A request must learn within about a second that Redis is gone (and answer 503) instead of waiting
 * in an offline queue; meanwhile the connection keeps trying to come back on its own.
 */
const connectionOptions: RedisOptions = {
  enableOfflineQueue: false,
  // 0: a command in flight when the connection drops fails at once instead of waiting for a reconnect.
  maxRetriesPerRequest: 0,
  // INCR and SET NX are not idempotent: never replay them on a new connection.
  autoResendUnfulfilledCommands: false,
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  // How long close() lets a half-closed socket linger before destroying it (ioredis default: 2 s).
  disconnectTimeout: 500,
  retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, MAX_RECONNECT_DELAY_MS),
  // Commands issued in the same event-loop turn go out in one write instead of one system call each
  // (nonce claims are batched further, into one command: see claim-batch.ts).
  enableAutoPipelining: true,
};

/**
 * ioredis attaches the command and its arguments (keys, values) to some errors; the cause we keep
 * has only the error's class and message, so logging it cannot leak a token or a nonce.
 */
function unavailable(err: unknown): CacheUnavailableError {
  if (err instanceof CacheUnavailableError) return err;
  if (!(err instanceof Error)) return new CacheUnavailableError();
  const cause = new Error(err.message);
  cause.name = err.name;
  return new CacheUnavailableError(cause);
}

/** One ioredis client plus the knowledge of whether it is still making its first connection. */
class Connection {
  readonly client: Redis;
  private firstAttempt = true;
  private firstConnection?: Promise<void>;

  constructor(url: string, extra: RedisOptions = {}) {
    this.client = new Redis(url, { ...connectionOptions, ...extra });
    // Without a listener ioredis prints every failed reconnect; failures reach callers as
    // CacheUnavailableError and the owner decides what to log.
    this.client.on('error', () => {});
    const settled = () => {
      this.firstAttempt = false;
    };
    this.client.once('ready', settled);
    this.client.once('close', settled);
  }

  /**
   * Resolves when commands can be sent. Only the very first connection is waited for (a cache used
   * right after start-up should not fail); during an outage this fails at once.
   */
  async usable(): Promise<void> {
    const { client } = this;
    if (client.status === 'ready') return;
    if (!this.firstAttempt || !['wait', 'connecting', 'connect'].includes(client.status)) {
      throw unavailable(new Error(`redis connection is ${client.status}`));
    }
    // One waiter shared by every early caller, so a burst of commands adds two listeners, not 2n.
    this.firstConnection ??= new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('close', onClose);
        this.firstConnection = undefined;
        if (err) reject(unavailable(err));
        else resolve();
      };
      const onReady = () => done();
      const onClose = () => done(new Error('redis connection closed'));
      const timer = setTimeout(() => done(new Error('redis connection timed out')), CONNECT_TIMEOUT_MS);
      client.once('ready', onReady);
      client.once('close', onClose);
    });
    return this.firstConnection;
  }

  async close(): Promise<void> {
    // The socket of the moment (none while reconnecting): closing is over only once it is closed,
    // not when QUIT is answered or the end of the stream is sent (the server closes it a moment later).
    const stream = (this.client as unknown as { stream?: Socket }).stream;
    if (this.client.status === 'ready') {
      // QUIT is bounded by the command timeout; whatever happens, disconnect() below ends the socket
      // and cancels any pending reconnect.
      await this.client.quit().catch(() => undefined);
    }
    if (this.client.status !== 'end') this.client.disconnect();
    if (stream) await socketClosed(stream, SOCKET_CLOSE_WAIT_MS);
  }
}

interface Subscription {
  handler: (message: string) => void;
  events?: SubscriptionEvents;
}

/**
 * The shared cache for several gateway nodes. Every failure to reach Redis (refused, dropped,
 * timed out, closed) surfaces as CacheUnavailableError, so callers fail closed with a 503.
 */
export class RedisCache implements Cache {
  readonly kind = 'redis' as const;
  private readonly url: string;
  private readonly prefix: string;
  private readonly main: Connection;
  private readonly claims = new ClaimBatch((claims) => this.sendClaims(claims));
  /** Subscribed connections can run nothing but (UN)SUBSCRIBE: a second one, made on first use. */
  private subscriber?: Connection;
  private readonly subscriptions = new Map<string, Set<Subscription>>();
  /** The subscriber connection holds its subscriptions (set on the first SUBSCRIBE, cleared when it drops). */
  private subscribed = false;
  /** It dropped while subscribed: subscribers were told, and are told again once it is re-subscribed. */
  private subscriptionLost = false;
  private subscriptionCheck?: NodeJS.Timeout;
  private closed = false;
  private closing?: Promise<void>;

  constructor(options: RedisCacheOptions) {
    this.url = options.url;
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.main = new Connection(this.url);
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const ms = ttlMilliseconds(ttlSeconds);
    if (this.closed) throw unavailable(new Error('redis cache is closed'));
    return this.claims.claim(this.prefix + key, value, ms);
  }

  /** One CLAIM script call for every setIfAbsent of the turn (see claim-batch.ts). */
  private sendClaims(claims: readonly Claim[]): Promise<boolean[]> {
    const keys = claims.map((c) => c.key);
    const args = claims.flatMap((c) => [c.value, c.ttlMs]);
    return this.run(async (redis) => {
      const reply = await runScript(redis, CLAIM, keys, args);
      if (!Array.isArray(reply)) throw new Error('unexpected answer to the claim script');
      return reply.map((created) => created === 1);
    });
  }

  async get(key: string): Promise<string | null> {
    return this.run((redis) => redis.get(this.prefix + key));
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    const ms = ttlMilliseconds(ttlSeconds);
    await this.run((redis) => redis.set(this.prefix + key, value, 'PX', ms));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.run((redis) => redis.del(this.prefix + key))) > 0;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const ms = ttlMilliseconds(ttlSeconds);
    const reply = await this.run((redis) => runScript(redis, INCREMENT, [this.prefix + key], [ms]));
    return Number(reply);
  }

  async countAttempt(counters: readonly GuessCounter[], windowSeconds: number): Promise<number | null> {
    const ms = ttlMilliseconds(windowSeconds);
    const keys = counters.map((c) => this.prefix + c.key);
    const reply = Number(await this.run((redis) => runScript(redis, COUNT_ATTEMPT, keys, [ms, ...counters.map((c) => c.limit)])));
    return reply < 0 ? null : Math.max(1, remainingSeconds(reply));
  }

  async decrement(key: string): Promise<number> {
    return Number(await this.run((redis) => runScript(redis, DECREMENT, [this.prefix + key], [])));
  }

  async ttl(key: string): Promise<number | null> {
    const ms = await this.run((redis) => redis.pttl(this.prefix + key));
    if (ms === -2) return null;
    // Only a key written outside this interface can lack an expiry.
    if (ms === -1) return Number.POSITIVE_INFINITY;
    return remainingSeconds(ms);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.run((redis) => redis.publish(this.prefix + channel, message));
  }

  async subscribe(channel: string, handler: (message: string) => void, events?: SubscriptionEvents): Promise<() => Promise<void>> {
    if (this.closed) throw unavailable(new Error('redis cache is closed'));
    const name = this.prefix + channel;
    const subscriber = this.subscriberConnection();
    const subscription: Subscription = { handler, events };
    // Registered before SUBSCRIBE is sent, so a concurrent unsubscribe of the same channel sees
    // a remaining handler and does not UNSUBSCRIBE under us.
    let set = this.subscriptions.get(name);
    if (!set) this.subscriptions.set(name, (set = new Set()));
    set.add(subscription);
    try {
      await subscriber.usable();
      await subscriber.client.subscribe(name);
      if (!this.subscriptionLost) this.subscribed = true;
    } catch (err) {
      await this.forget(name, subscription);
      throw unavailable(err);
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      await this.forget(name, subscription);
    };
  }

  async ping(): Promise<boolean> {
    try {
      await this.run((redis) => redis.ping());
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.subscriptionCheck) clearInterval(this.subscriptionCheck);
    this.closing ??= Promise.all([this.main.close(), this.subscriber?.close()]).then(() => undefined);
    return this.closing;
  }

  private async run<T>(command: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.closed) throw unavailable(new Error('redis cache is closed'));
    try {
      await this.main.usable();
      return await command(this.main.client);
    } catch (err) {
      throw unavailable(err);
    }
  }

  private subscriberConnection(): Connection {
    if (this.subscriber) return this.subscriber;
    // Messages published while the connection is down are lost (Redis pub/sub keeps nothing), so
    // subscribers are told when it drops and when it is back; re-subscribing after a reconnect is
    // done here rather than by ioredis, so "back" means SUBSCRIBE was answered.
    const subscriber = new Connection(this.url, { autoResubscribe: false });
    subscriber.client.on('close', () => this.lostSubscriptions());
    subscriber.client.on('ready', () => void this.resubscribe(subscriber));
    this.subscriptionCheck = setInterval(() => this.checkSubscriptions(subscriber), SUBSCRIPTION_CHECK_MS);
    this.subscriptionCheck.unref();
    subscriber.client.on('message', (name: string, message: string) => {
      for (const { handler } of [...(this.subscriptions.get(name) ?? [])]) {
        try {
          handler(message);
        } catch {
          // A subscriber's bug must not stop delivery to the others; handlers own their errors.
        }
      }
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private eachSubscription(fn: (events: SubscriptionEvents) => void): void {
    for (const set of this.subscriptions.values()) {
      for (const { events } of set) {
        try {
          if (events) fn(events);
        } catch {
          // A subscriber's bug must not keep the others from hearing it.
        }
      }
    }
  }

  private lostSubscriptions(): void {
    if (!this.subscribed || this.closed) return;
    this.subscribed = false;
    this.subscriptionLost = true;
    this.eachSubscription((events) => events.lost());
  }

  private async resubscribe(subscriber: Connection): Promise<void> {
    if (!this.subscriptionLost || this.closed) return;
    const names = [...this.subscriptions.keys()];
    try {
      if (names.length) await subscriber.client.subscribe(...names);
    } catch {
      // Dropped again: the next 'ready' tries again.
      return;
    }
    if (this.closed) return;
    this.subscriptionLost = false;
    this.subscribed = true;
    this.eachSubscription((events) => events.restored());
  }

  /** A PING the server does not answer within the command timeout ends the connection (then 'close', then reconnects). */
  private checkSubscriptions(subscriber: Connection): void {
    if (!this.subscribed || this.closed || subscriber.client.status !== 'ready') return;
    subscriber.client.ping().catch(() => {
      if (!this.closed && this.subscribed) subscriber.client.disconnect(true);
    });
  }

  /**
   * Removes one handler; the last one for a channel unsubscribes. Best effort: if Redis is down the
   * handler is gone anyway, and a message ioredis still receives for the channel finds no one.
   */
  private async forget(name: string, subscription: Subscription): Promise<void> {
    const set = this.subscriptions.get(name);
    if (!set?.delete(subscription) || set.size > 0) return;
    this.subscriptions.delete(name);
    const client = this.subscriber?.client;
    if (client?.status === 'ready') await client.unsubscribe(name).catch(() => undefined);
  }
}
