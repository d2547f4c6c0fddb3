import { bearerCall, call, signedCall, tokenRequest, xauth, type Answer, type Token1 } from './clients';
import type { GatewayNode, Seed } from './harness';

/**
 * One request of each kind the README's outage table has a column for, sent to one node, and what
 * each answered: the status, or 'timeout' when no answer came within the probe's deadline (a hang).
 */

export type Outcome = number | 'timeout' | 'refused';

export interface RequestKinds {
  /** A proxied route that takes no credential. */
  public: Outcome;
  /** A bearer token this node verified before (in its memory, unless it may not trust it). */
  bearerCached: Outcome;
  /** A bearer token this node has never seen (a database lookup). */
  bearerUncached: Outcome;
  /** A signed OAuth 1.0a request (fresh nonce: a claim in Redis) with a token this node verified before. */
  oauth1Cached: Outcome;
  /** The same with a token this node has never seen (a database lookup). */
  oauth1Uncached: Outcome;
  /** POST /oauth2/token, client_credentials. */
  token: Outcome;
  /** GET /login. */
  page: Outcome;
  readyz: Outcome;
}

/** Credentials issued before the outage: one bearer token per node to cache, spare ones for uncached lookups. */
export interface ProbeCredentials {
  cached: Map<string, string>;
  uncached: string[];
  oauth1Cached: Token1;
  oauth1Uncached: Token1[];
}

/** Issues the credentials while everything works; `cached` tokens are used once on their node. */
export async function prepareProbes(nodes: GatewayNode[], seed: Seed, spares = nodes.length): Promise<ProbeCredentials> {
  // client_credentials: the client's secret is checked with scrypt once per node, then remembered
  // (the password grant would run scrypt for every token).
  const issue = async (node: GatewayNode) => {
    const res = await tokenRequest(node, seed, { grant_type: 'client_credentials' });
    if (res.status !== 200) throw new Error(`client_credentials on ${node.name} answered ${res.status}`);
    return res.json.access_token as string;
  };
  const cached = new Map<string, string>();
  for (const node of nodes) {
    const access = await issue(node);
    const first = await bearerCall(node, access);
    if (first.status !== 200) throw new Error(`bearer on ${node.name} answered ${first.status}`);
    cached.set(node.name, access);
  }
  const uncached: string[] = [];
  for (let i = 0; i < spares; i++) uncached.push(await issue(nodes[0]));
  const { token } = await xauth(nodes[0], seed);
  for (const node of nodes) {
    const first = await signedCall(node, seed, token);
    if (first.status !== 200) throw new Error(`signed request on ${node.name} answered ${first.status}`);
  }
  // One session each (xAuth runs scrypt on the password; the hashing bound queues what exceeds two).
  const oauth1Uncached = await Promise.all(Array.from({ length: spares }, () => xauth(nodes[0], seed).then((x) => x.token)));
  return { cached, uncached, oauth1Cached: token, oauth1Uncached };
}

async function outcome(request: (signal: AbortSignal) => Promise<Answer>, deadlineMs: number): Promise<Timed> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const status = (await request(AbortSignal.timeout(deadlineMs))).status;
    return { outcome: status, ms: took() };
  } catch (err) {
    const name = (err as Error).name;
    return { outcome: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'refused', ms: took() };
  }
}

/** An outcome and how long it took (for the README's measurements; tests assert outcomes only). */
export interface Timed {
  outcome: Outcome;
  ms: number;
}

/** Every kind of request once, in parallel, each with its own deadline. */
export async function probe(node: GatewayNode, seed: Seed, credentials: ProbeCredentials, paths?: ProbePaths): Promise<RequestKinds> {
  const timed = await probeTimed(node, seed, credentials, paths);
  return Object.fromEntries(Object.entries(timed).map(([k, v]) => [k, v.outcome])) as unknown as RequestKinds;
}

/** Where the proxied kinds go (by default the routes to the working stub upstream). */
export interface ProbePaths {
  open: string;
  api: string;
}

const usualPaths: ProbePaths = { open: '/open/items', api: '/api/items' };

export async function probeTimed(node: GatewayNode, seed: Seed, credentials: ProbeCredentials, paths = usualPaths, deadlineMs = 8_000): Promise<{ [K in keyof RequestKinds]: Timed }> {
  const uncached = credentials.uncached.shift();
  if (!uncached) throw new Error('no uncached bearer token left: prepare more spares');
  const unseen1 = credentials.oauth1Uncached.shift();
  if (!unseen1) throw new Error('no uncached OAuth 1.0a token left: prepare more spares');
  const cached = credentials.cached.get(node.name);
  if (!cached) throw new Error(`no cached bearer token for ${node.name}`);
  const withSignal = (signal: AbortSignal, init: RequestInit = {}) => ({ ...init, signal });
  const [pub, bearerCached, bearerUncached, oauth1Cached, oauth1Uncached, token, page, readyz] = await Promise.all([
    outcome((signal) => call(node, paths.open, withSignal(signal)), deadlineMs),
    outcome((signal) => call(node, paths.api, withSignal(signal, { headers: { authorization: `Bearer ${cached}` } })), deadlineMs),
    outcome((signal) => call(node, paths.api, withSignal(signal, { headers: { authorization: `Bearer ${uncached}` } })), deadlineMs),
    outcome(() => withDeadline(signedCall(node, seed, credentials.oauth1Cached, paths.api), deadlineMs), deadlineMs),
    outcome(() => withDeadline(signedCall(node, seed, unseen1, paths.api), deadlineMs), deadlineMs),
    outcome(() => withDeadline(tokenRequest(node, seed, { grant_type: 'client_credentials' }), deadlineMs), deadlineMs),
    outcome((signal) => call(node, '/login', withSignal(signal)), deadlineMs),
    outcome((signal) => call(node, '/readyz', withSignal(signal)), deadlineMs),
  ]);
  return { public: pub, bearerCached, bearerUncached, oauth1Cached, oauth1Uncached, token, page, readyz };
}

/** For the helpers that do not take a signal: reject with a TimeoutError after the deadline (the request is left to die with its socket). */
function withDeadline<T>(promise: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('no answer'), { name: 'TimeoutError' })), deadlineMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
