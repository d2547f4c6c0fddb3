import type { Cache } from '../cache/types';
import type { Logger } from '../http/logger';
import { errorSummary } from '../http/errors';

/**
 * The one pub/sub channel on which nodes tell each other about revocations. Two kinds of message:
 * - `log:<seq>`: the revocation log grew (a user, client or consumer was revoked): read it now.
 * - `token:<digest>`: one access token (OAuth 2.0 or 1.0a, by SHA-256) was revoked: forget it.
 * Anything else is ignored: a message proves nothing, it only makes a node look or forget sooner.
 */
export const REVOCATION_CHANNEL = 'revocations';

const LOG_MESSAGE = /^log:[0-9]{1,16}$/;
const TOKEN_MESSAGE = /^token:[0-9a-f]{64}$/;
const RESUBSCRIBE_MS = 5_000;

/** Published by whoever appends to the revocation log (accounts/revoke.ts), after the commit. */
export const logGrewMessage = (seq: number): string => `log:${seq}`;
const tokenRevokedMessage = (digest: string): string => `token:${digest}`;

/** What a node does with what it hears. */
export interface RevocationHandlers {
  logGrew(): void;
  tokenRevoked(digest: string): void;
  /** The subscription dropped: what is published from now on may pass unheard. */
  subscriptionLost(): void;
  /** It is live again: catch up on what may have been missed. */
  subscriptionRestored(): void;
}

export interface RevocationChannelOptions {
  cache: Pick<Cache, 'subscribe' | 'publish'>;
  logger: Logger;
  handlers: RevocationHandlers;
  /** How long after a failed subscription the next attempt waits (default five seconds). */
  resubscribeMs?: number;
}

type State = 'idle' | 'subscribing' | 'listening' | 'lost' | 'waiting' | 'closed';

/**
 * This node's one subscription to REVOCATION_CHANNEL, and the only place that subscribes. Until
 * it is live (`listening`) revocations published by other nodes pass by unheard, so the caches of
 * verified credentials keep nothing and serve nothing then. A failed attempt is retried every few
 * seconds, by a timer of its own (no request waits for it). Once live, the cache tells it when the
 * subscription drops (`lost`: not listening, and the handlers forget every cached credential, as
 * revocations published from then on are lost) and when the cache has re-subscribed by itself
 * (`listening` again: the handlers catch up on the revocation log).
 */
export class RevocationChannel {
  private state: State = 'idle';
  private unsubscribe: (() => Promise<void>) | null = null;
  private attempt: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(private readonly options: RevocationChannelOptions) {}

  /** True once other nodes' revocations reach this one. */
  get listening(): boolean {
    return this.state === 'listening';
  }

  /** The first attempt; resolves when it succeeded or failed (then retried in the background). Never throws. */
  start(): Promise<void> {
    if (this.state === 'idle') this.subscribe();
    return this.attempt ?? Promise.resolve();
  }

  /**
   * Tells the other nodes to forget these access tokens. The database already says "revoked", so a
   * failed publish is logged, not thrown: other nodes then stop within the cached entry's minute.
   */
  async announceTokensRevoked(digests: readonly string[]): Promise<void> {
    for (const digest of digests) {
      try {
        await this.options.cache.publish(REVOCATION_CHANNEL, tokenRevokedMessage(digest));
      } catch (err) {
        this.options.logger.warn({ err: errorSummary(err) }, 'could not announce a token revocation to other nodes');
      }
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.attempt;
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = null;
  }

  private heard(message: string): void {
    if (LOG_MESSAGE.test(message)) this.options.handlers.logGrew();
    else if (TOKEN_MESSAGE.test(message)) this.options.handlers.tokenRevoked(message.slice('token:'.length));
  }

  private lost(): void {
    if (this.state !== 'listening') return;
    this.state = 'lost';
    this.options.logger.warn('lost the subscription to revocations: verified credentials are checked against the database until it is back');
    this.options.handlers.subscriptionLost();
  }

  private restored(): void {
    if (this.state !== 'lost') return;
    this.state = 'listening';
    this.options.logger.info('subscribed to revocations again: verified credentials are cached again');
    this.options.handlers.subscriptionRestored();
  }

  private subscribe(): void {
    this.state = 'subscribing';
    this.retry = null;
    this.attempt = this.options.cache
      .subscribe(REVOCATION_CHANNEL, (message) => this.heard(message), { lost: () => this.lost(), restored: () => this.restored() })
      .then(
        async (unsubscribe) => {
          if (this.state === 'closed') return void (await unsubscribe().catch(() => undefined));
          this.unsubscribe = unsubscribe;
          this.state = 'listening';
          if (this.failing) this.options.logger.info('subscribed to revocations again: verified credentials are cached again');
          this.failing = false;
        },
        (err: unknown) => {
          if (this.state === 'closed') return;
          this.state = 'waiting';
          // Said once per outage; the retries go on quietly.
          if (!this.failing) this.options.logger.warn({ err: errorSummary(err) }, 'cannot subscribe to revocations: verified credentials are not cached until it works');
          this.failing = true;
          this.retry = setTimeout(() => this.subscribe(), this.options.resubscribeMs ?? RESUBSCRIBE_MS);
          this.retry.unref();
        },
      )
      .finally(() => {
        this.attempt = null;
      });
  }
}
