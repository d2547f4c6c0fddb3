import type { Repositories, Store } from './types';

/**
 * What happens around each call of one store operation (a repository method, or the store's own
 * transaction, sweepExpired and ping). Made once per operation when the store is wrapped, so a call
 * pays for no label lookup: metrics keep their histogram children here, tracing its span names.
 */
export interface OperationProbe {
  /** At the call; what it returns goes back to end() (a span, or nothing). */
  begin(): unknown;
  end(begun: unknown, seconds: number, ok: boolean): void;
}

/** Hears every call of the store (the runtime's metrics and tracing: http/store-calls.ts). */
export type StoreCallObserver = (repository: string, operation: string) => OperationProbe;

// Every repository by name: the `repository` label's values are these and nothing else. Typed as
// a record of Repositories' keys so a repository added to the interface must be added here.
const repositoryNames = Object.keys({
  profiles: 1,
  users: 1,
  consumers: 1,
  clients: 1,
  consents: 1,
  requestTokens: 1,
  oauth1Sessions: 1,
  oauth1AccessTokens: 1,
  authorizationCodes: 1,
  accessTokens: 1,
  refreshTokens: 1,
  deviceCodes: 1,
  settings: 1,
  sealedSecrets: 1,
  grants: 1,
  revocationLog: 1,
  consumerLinks: 1,
  userGrants: 1,
  auditLog: 1,
  signingKeys: 1,
} satisfies Record<keyof Repositories, 1>) as Array<keyof Repositories>;

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * One method, observed. A plain async function rather than a Proxy trap: the wrapper is made once,
 * and a call costs two clock reads and the probe's own work. A method that throws synchronously is
 * an error like a rejected one.
 */
function observed(method: AnyMethod, self: unknown, probe: OperationProbe): AnyMethod {
  return async function observedCall(...args: unknown[]): Promise<unknown> {
    const begun = probe.begin();
    const started = performance.now();
    try {
      const result = await method.apply(self, args);
      probe.end(begun, (performance.now() - started) / 1000, true);
      return result;
    } catch (err) {
      probe.end(begun, (performance.now() - started) / 1000, false);
      throw err;
    }
  };
}

/**
 * Each repository's methods, observed. The operations of a repository and their probes are found
 * once, on its first binding: a transaction binds every repository anew, and wrapping them then
 * costs a closure per method and no lookup.
 */
class RepositoryProbes {
  private readonly operations = new Map<string, Array<[string, OperationProbe]>>();
  constructor(private readonly observer: StoreCallObserver) {}

  probe(repository: string, operation: string): OperationProbe {
    return this.observer(repository, operation);
  }

  private operationsOf(name: string, repo: Record<string, unknown>): Array<[string, OperationProbe]> {
    let found = this.operations.get(name);
    if (!found) {
      found = Object.keys(repo)
        .filter((operation) => typeof repo[operation] === 'function')
        .map((operation) => [operation, this.observer(name, operation)]);
      this.operations.set(name, found);
    }
    return found;
  }

  wrap(repos: Repositories): Repositories {
    const out: Record<string, unknown> = {};
    for (const name of repositoryNames) {
      const repo = repos[name] as unknown as Record<string, unknown>;
      const wrapped: Record<string, unknown> = {};
      for (const [operation, probe] of this.operationsOf(name, repo)) wrapped[operation] = observed(repo[operation] as AnyMethod, repo, probe);
      out[name] = wrapped;
    }
    return out as unknown as Repositories;
  }
}

/**
 * The store with every call observed (timed, counted, traced): each repository method, inside
 * transaction() too, and transaction, sweepExpired and ping as repository "store". Made by the
 * runtime around the database store, inside the in-memory client and consumer rows
 * (revocation/cached-parties.ts), so a row served from memory is no database call.
 */
export function observedStore(store: Store, observer: StoreCallObserver): Store {
  const probes = new RepositoryProbes(observer);
  const transaction = observed(store.transaction as AnyMethod, store, probes.probe('store', 'transaction'));
  return {
    ...probes.wrap(store),
    kind: store.kind,
    // The repositories of a transaction are bound to it: they are wrapped per transaction (their probes are not).
    transaction: <T>(fn: (tx: Repositories) => Promise<T>) => transaction((tx: Repositories) => fn(probes.wrap(tx))) as Promise<T>,
    sweepExpired: observed(store.sweepExpired as AnyMethod, store, probes.probe('store', 'sweepExpired')) as Store['sweepExpired'],
    ping: observed(store.ping as AnyMethod, store, probes.probe('store', 'ping')) as Store['ping'],
    commitStats: () => store.commitStats(),
    observeCommits: (observer) => store.observeCommits(observer),
    close: () => store.close(),
  };
}
