import { Counter, Registry } from 'prom-client';
import { IssuerMetrics, type CacheResult, type TokenKind } from '../../src/issuers/metrics';

// The external issuers' cache results are counted in plain numbers and handed to prom-client when the
// metrics are read: whenever they are read, the exposition must hold what prom-client would had each
// result been counted with inc() at once (the same series, the same values, in the same order).

type Event = [issuer: string, kind: TokenKind, result: CacheResult];

function events(n: number, seed: number): Event[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    const issuer = next() < 0.7 ? 'corp' : 'partner';
    const kind = next() < 0.6 ? 'jwt' : 'introspection';
    out.push([issuer, kind, next() < 0.9 ? 'hit' : 'miss']);
  }
  return out;
}

/** prom-client's own counter, counted the direct way, as the reference. */
function directCounter(registry: Registry) {
  return new Counter({
    name: 'gateway_issuer_token_cache_total',
    help: 'External tokens answered from the verified-token cache (hit) or verified anew (miss), by issuer and kind (jwt, introspection).',
    labelNames: ['issuer', 'kind', 'result'],
    registers: [registry],
  });
}

test('read at any point, the tallied counter exposes what direct inc() calls would have', async () => {
  const tallied = new Registry();
  const metrics = new IssuerMetrics(tallied);
  const corp = metrics.cacheTally('corp');
  const partner = metrics.cacheTally('partner');
  const direct = new Registry();
  const reference = directCounter(direct);

  const all = events(5000, 7);
  // Read in the middle too: a hand-over must not count anything twice or lose what comes after it.
  for (const [from, to] of [[0, 1], [1, 1200], [1200, 1200], [1200, 5000]]) {
    for (const [issuer, kind, result] of all.slice(from, to)) {
      (issuer === 'corp' ? corp : partner).count(kind, result);
      reference.inc({ issuer, kind, result });
    }
    const expected = await direct.getSingleMetricAsString('gateway_issuer_token_cache_total');
    const actual = await tallied.getSingleMetricAsString('gateway_issuer_token_cache_total');
    // Series order follows the first result of each in the reference; compare as sets of lines, and the totals.
    expect(actual.split('\n').sort()).toEqual(expected.split('\n').sort());
  }
  const hits = all.filter(([issuer, kind, result]) => issuer === 'corp' && kind === 'jwt' && result === 'hit').length;
  expect(await tallied.getSingleMetricAsString('gateway_issuer_token_cache_total')).toContain(`gateway_issuer_token_cache_total{issuer="corp",kind="jwt",result="hit"} ${hits}`);
});

test('nothing counted: no series (as prom-client before its first inc)', async () => {
  const registry = new Registry();
  new IssuerMetrics(registry).cacheTally('corp');
  const text = await registry.getSingleMetricAsString('gateway_issuer_token_cache_total');
  expect(text).not.toContain('issuer="corp"');
});
