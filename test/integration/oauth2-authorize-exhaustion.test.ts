import http from 'node:http';
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MemoryCache } from '../../src/cache';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { pkcePair } from '../helpers/browser';

// Issue 11, item 7: a loop of anonymous GET /oauth2/authorize requests, each with a 4 KB state,
// used to store a session and its flow state per request for 30 minutes, until the heap ran out.
// Here 10,000 of them, from a caller that keeps no cookies, must leave the heap (after a forced GC)
// less than 10 MB bigger and the cache without a single new entry. A memory assertion, not a
// timing one: the requests run with keep-alive and a few sockets only so the test ends soon.

jest.setTimeout(180_000);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const callback = 'https://app.example/cb';
const requests = 10_000;
const sockets = 8;
const stateBytes = 4096;

let gw: TestGateway;
let agent: http.Agent;

beforeAll(async () => {
  // Logs at warn: the test's in-memory log sink would otherwise grow with every request and be measured too.
  gw = await startTestGateway({ config: { log: { level: 'warn' } } });
  await gw.fixtures.client({ id: 'web', name: 'Web App', grants: 'authorization_code', redirectUris: [callback], scopes: 'read' });
  agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
});

afterAll(async () => {
  agent?.destroy();
  await gw?.close();
});

/** A state of exactly 4096 characters (URL-safe, so the query stays about that size too). */
const bigState = () => randomBytes(stateBytes).toString('base64url').slice(0, stateBytes);

function authorizeQuery(): string {
  const { challenge } = pkcePair();
  return new URLSearchParams({ client_id: 'web', response_type: 'code', redirect_uri: callback, scope: 'read', state: bigState(), code_challenge: challenge, code_challenge_method: 'S256' }).toString();
}

/** One anonymous GET (no cookie sent, none kept); resolves with the status after reading the body. */
function anonymousGet(path: string): Promise<number> {
  const url = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `count` requests over `sockets` concurrent lanes; every status seen, with its count. */
async function flood(count: number): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      const status = await anonymousGet(`/oauth2/authorize?${authorizeQuery()}`);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: sockets }, lane));
  return statuses;
}

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return process.memoryUsage().heapUsed;
}

test(`${requests} anonymous authorization requests with a ${stateBytes}-byte state grow the heap by less than 10 MB and the cache not at all`, async () => {
  const cache = gw.deps.cache as MemoryCache;
  // Warm-up: lazily loaded modules, compiled code and prepared statements are not what is measured.
  expect(await flood(300)).toEqual({ 200: 300 });
  const heapBefore = await settledHeap();
  const entriesBefore = cache.size;

  // Every request is accepted (the login page), so the state is one the gateway takes, not refuses.
  expect(await flood(requests)).toEqual({ 200: requests });

  const growth = (await settledHeap()) - heapBefore;
  expect(growth).toBeLessThan(10 * 1024 * 1024);
  expect(cache.size).toBe(entriesBefore);
});
