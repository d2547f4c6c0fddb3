import { Metrics } from '../../src/http/metrics';
import { RouteMetrics } from '../../src/gateway/route-metrics';
import type { Route } from '../../src/gateway/routes';

// The proxied requests' counter and histogram are tallied in plain numbers and handed to prom-client
// when read: whenever they are read, /metrics must show the series and values prom-client would hold
// had each request been counted into it directly (inc and observe with labels, as before).

const api = { name: '/api' } as Route;
const open = { name: '/public' } as Route;

type Request = [Route, string, number, number];

function requests(n: number, seed: number): Request[] {
  const out: Request[] = [];
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < n; i++) {
    const r = next();
    const [route, outcome, status] = r < 0.5 ? [api, 'proxied', 200] : r < 0.7 ? [open, 'proxied', 200] : r < 0.8 ? [api, 'rejected', 401] : r < 0.9 ? [api, 'proxied', 404] : [open, 'upstream_error', 502];
    // Latencies across every bucket, on the bounds themselves too, and past the last one.
    const seconds = r < 0.05 ? [0.001, 0.0025, 0.5, 10, 12][i % 5] : next() * next() * 3;
    out.push([route, outcome, status, seconds]);
  }
  return out;
}

function direct(metrics: Metrics, [route, outcome, status, seconds]: Request): void {
  metrics.requests.inc({ route: route.name, outcome, status: String(status) });
  metrics.latency.observe({ route: route.name, outcome }, seconds);
}

async function series(metrics: Metrics) {
  const out = new Map<string, number>();
  for (const metric of [metrics.requests, metrics.latency] as Array<{ get(): Promise<{ name: string; values: Array<{ metricName?: string; labels: object; value: number }> }> }>) {
    const { name, values } = await metric.get();
    for (const v of values) out.set(`${v.metricName ?? name}${JSON.stringify(v.labels)}`, v.value);
  }
  return out;
}

async function expectSame(tallied: Metrics, reference: Metrics): Promise<void> {
  const [a, b] = [await series(tallied), await series(reference)];
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, value] of b) {
    if (key.startsWith('gateway_request_duration_seconds_sum')) expect(a.get(key)).toBeCloseTo(value, 9);
    else expect([key, a.get(key)]).toEqual([key, value]);
  }
}

test('read at any time, the tallied metrics equal prom-client counting every request itself', async () => {
  const tallied = new Metrics();
  const routeMetrics = new RouteMetrics(tallied);
  const reference = new Metrics();
  // Nothing counted yet: no series on either side.
  await expectSame(tallied, reference);
  for (const [round, n] of [[1, 500], [2, 1], [3, 2000]]) {
    for (const request of requests(n, round)) {
      routeMetrics.request(...request);
      direct(reference, request);
    }
    await expectSame(tallied, reference);
    // A second read hands over nothing twice.
    await expectSame(tallied, reference);
  }
  expect(await tallied.registry.metrics()).toContain('gateway_requests_total{route="/api",outcome="proxied",status="200"}');
  const text = await tallied.registry.getSingleMetricAsString('gateway_request_duration_seconds');
  const ref = await reference.registry.getSingleMetricAsString('gateway_request_duration_seconds');
  const withoutSums = (t: string) => t.split('\n').filter((l) => !l.includes('_sum')).join('\n');
  expect(withoutSums(text)).toBe(withoutSums(ref));
});

test('a latency that is not a number is refused, as observe() refuses it, and is not observed', async () => {
  const tallied = new Metrics();
  const routeMetrics = new RouteMetrics(tallied);
  expect(() => routeMetrics.request(api, 'proxied', 200, NaN)).toThrow(TypeError);
  routeMetrics.request(api, 'proxied', 200, 0.2);
  const count = (await tallied.latency.get()).values.find((v) => (v as { metricName?: string }).metricName === 'gateway_request_duration_seconds_count');
  expect(count?.value).toBe(1);
});
