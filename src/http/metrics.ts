import fs from 'node:fs';
import path from 'node:path';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { projectRoot } from '../paths';

/** Latency buckets in seconds, shared by every request histogram so dashboards can compare them. */
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** The cache and the database answer in well under a millisecond to tens of milliseconds. */
const dependencyBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** What gateway_build_info says: the package version and the Node.js it runs on. */
export interface BuildInfo {
  version: string;
  node: string;
}

/**
 * Prometheus metrics, one registry per app so tests and several apps in one process don't collide.
 * Every label has a bounded set of values: endpoint names are fixed in the code, route names come
 * from the config, error codes from the protocols' vocabularies, client ids only of clients the
 * gateway knows (else "unknown"). Usernames and addresses are never labels (the log names them).
 */
export class Metrics {
  readonly registry = new Registry();
  /** Functions that hand counts kept outside prom-client to it (gateway/route-metrics.ts), run before every read. */
  private readonly tallies: Array<() => void> = [];
  /** Proxied requests (gateway/route-metrics.ts: tallied per request, handed over here when read). */
  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests handled, by route and outcome.',
    labelNames: ['route', 'outcome', 'status'],
    registers: [this.registry],
    collect: () => this.handOverTallies(),
  });
  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Request latency in seconds, by route and outcome.',
    labelNames: ['route', 'outcome'],
    buckets: requestBuckets,
    registers: [this.registry],
    collect: () => this.handOverTallies(),
  });

  /**
   * Registers a function that adds what it counted since its last call to `requests` and `latency`:
   * it runs whenever either is read (a scrape, the console's dashboard, a worker's report), so they
   * read as if every request had been counted into them at once.
   */
  addTally(handOver: () => void): void {
    this.tallies.push(handOver);
  }

  private handOverTallies(): void {
    for (const handOver of this.tallies) handOver();
  }
  /** The gateway's own endpoints (token, authorize, OAuth 1.0a, device, login, ...): http/request-context.ts. */
  readonly endpointRequests = new Counter({
    name: 'gateway_endpoint_requests_total',
    help: "Requests to the gateway's own endpoints, by endpoint and status.",
    labelNames: ['endpoint', 'status'],
    registers: [this.registry],
  });
  readonly endpointLatency = new Histogram({
    name: 'gateway_endpoint_request_duration_seconds',
    help: "Latency of the gateway's own endpoints in seconds, by endpoint.",
    labelNames: ['endpoint'],
    buckets: requestBuckets,
    registers: [this.registry],
  });
  readonly oauthErrors = new Counter({
    name: 'gateway_oauth_errors_total',
    help: 'Protocol refusals (invalid_client, invalid_grant, signature_invalid, ...), by endpoint, error code and client (known client ids only, else "unknown").',
    labelNames: ['endpoint', 'error', 'client'],
    registers: [this.registry],
  });
  readonly loginFailures = new Counter({
    name: 'gateway_login_failures_total',
    help: 'Wrong usernames or passwords, whatever the channel (login page, password grant, xAuth).',
    registers: [this.registry],
  });
  readonly lockouts = new Counter({
    name: 'gateway_lockouts_total',
    help: 'Password attempts refused because the username or the address is locked out.',
    registers: [this.registry],
  });
  readonly consentDecisions = new Counter({
    name: 'gateway_consent_decisions_total',
    help: 'Decisions on consent pages, by protocol and decision (approve, deny).',
    labelNames: ['protocol', 'decision'],
    registers: [this.registry],
  });
  readonly dependencyLatency = new Histogram({
    name: 'gateway_dependency_duration_seconds',
    help: 'Calls to the shared cache and the database, by dependency and operation.',
    labelNames: ['dependency', 'operation'],
    buckets: dependencyBuckets,
    registers: [this.registry],
  });
  readonly dependencyErrors = new Counter({
    name: 'gateway_dependency_errors_total',
    help: 'Failed calls to the shared cache and the database, by dependency.',
    labelNames: ['dependency'],
    registers: [this.registry],
  });
  /** Every call of the store (http/store-calls.ts): repository and operation are names fixed in the code. */
  readonly databaseCalls = new Histogram({
    name: 'gateway_database_call_duration_seconds',
    help: 'Calls of the database store, by repository, operation and outcome (ok, error).',
    labelNames: ['repository', 'operation', 'outcome'],
    buckets: dependencyBuckets,
    registers: [this.registry],
  });
  readonly databaseCallErrors = new Counter({
    name: 'gateway_database_call_errors_total',
    help: 'Calls of the database store that failed, by repository and operation.',
    labelNames: ['repository', 'operation'],
    registers: [this.registry],
  });
  readonly tokensIssued = new Counter({
    name: 'gateway_tokens_issued_total',
    help: 'Tokens issued, by protocol and grant.',
    labelNames: ['protocol', 'grant'],
    registers: [this.registry],
  });
  readonly verificationFailures = new Counter({
    name: 'gateway_verification_failures_total',
    help: 'Rejected credentials, by protocol and reason.',
    labelNames: ['protocol', 'reason'],
    registers: [this.registry],
  });
  readonly upstreamErrors = new Counter({
    name: 'gateway_upstream_errors_total',
    help: 'Upstream failures, by route and kind.',
    labelNames: ['route', 'kind'],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean; build?: BuildInfo } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    const build = new Gauge({
      name: 'gateway_build_info',
      help: 'Always 1; the labels name the gateway version and the Node.js version.',
      labelNames: ['version', 'node'],
      registers: [this.registry],
    });
    const info = options.build ?? buildInfo();
    build.set({ version: info.version, node: info.node }, 1);
  }

  /**
   * The store's commit observer (Store.observeCommits): each commit's duration in
   * gateway_dependency_duration_seconds{dependency="database",operation="commit"}, a failed one in
   * gateway_dependency_errors_total{dependency="database"}. The children are made once, here.
   */
  databaseCommits(): (seconds: number, ok: boolean) => void {
    const latency = this.dependencyLatency.labels('database', 'commit');
    const errors = this.dependencyErrors.labels('database');
    return (seconds, ok) => {
      latency.observe(seconds);
      if (!ok) errors.inc();
    };
  }

  /**
   * Whether each dependency is up, read when scraped (`up()` answers from what the node saw last:
   * Outages.ongoing), so the alert on a Redis outage needs no probe of its own.
   */
  watchDependencies(up: (dependency: 'database' | 'cache') => boolean): void {
    new Gauge({
      name: 'gateway_dependency_up',
      help: '1 while the dependency answers, 0 during an outage the node saw (requests refused 503).',
      labelNames: ['dependency'],
      registers: [this.registry],
      collect() {
        this.set({ dependency: 'database' }, up('database') ? 1 : 0);
        this.set({ dependency: 'cache' }, up('cache') ? 1 : 0);
      },
    });
  }
}

/** The version from the package's package.json and the running Node.js. */
export function buildInfo(): BuildInfo {
  let version = 'unknown';
  try {
    version = String((JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    // An unreadable package.json: the version stays unknown rather than the gateway not starting.
  }
  return { version, node: process.versions.node };
}
