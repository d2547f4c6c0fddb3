import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { basicAuth, form, startTestGateway, type TestGateway } from '../helpers/gateway';
import { counterValue } from '../helpers/metrics';
import { onPostgres } from '../helpers/postgres';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Issue 19 items 1 and 3, the database side: every call of the store is timed in
// gateway_database_call_duration_seconds{repository,operation,outcome}, a failed one also counted in
// gateway_database_call_errors_total; with tracing on, each database and Redis call of a request is
// a client span under the request's span. Over real HTTP, on SQLite and PostgreSQL.

const calls = 'gateway_database_call_duration_seconds';

async function callCount(gw: TestGateway, labels: Record<string, string>): Promise<number> {
  const metric = gw.deps.metrics.registry.getSingleMetric(calls)!;
  const series = (await metric.get()).values.filter((v) => (v as { metricName?: string }).metricName === `${calls}_count`);
  return series.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))?.value ?? 0;
}

async function clientCredentials(gw: TestGateway, clientId: string, secret: string) {
  const f = form({ grant_type: 'client_credentials' });
  return gw.request('/oauth2/token', { method: 'POST', body: f.body, headers: { ...f.headers, authorization: basicAuth(clientId, secret) } });
}

describe.each(['sqlite', 'postgres'] as const)('store calls timed on %s', (database) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ database });
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('a token request times its reads and its write by repository and operation, outcome ok', async () => {
    const { secret } = (await gw.fixtures.client({ id: `timed-${database}`, name: 'Timed', grants: 'client_credentials' })) as { secret: string };
    const inserted = await callCount(gw, { repository: 'accessTokens', operation: 'insert', outcome: 'ok' });
    const read = await callCount(gw, { repository: 'clients', operation: 'findById', outcome: 'ok' });
    const res = await clientCredentials(gw, `timed-${database}`, secret);
    expect(res.status).toBe(200);
    expect(await callCount(gw, { repository: 'accessTokens', operation: 'insert', outcome: 'ok' })).toBe(inserted + 1);
    // The client row was read from the database once (later requests may be served from memory: no call then).
    expect(await callCount(gw, { repository: 'clients', operation: 'findById', outcome: 'ok' })).toBe(read + 1);
    const text = (await gw.request('/metrics')).text;
    expect(text).toMatch(/gateway_database_call_duration_seconds_count\{repository="accessTokens",operation="insert",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/gateway_database_call_duration_seconds_bucket\{le="0\.0001",repository="clients",operation="findById",outcome="ok"\} \d+/);
  });

  test('the labels are the code names of repositories and operations, never ids, names or secrets', async () => {
    const { secret } = (await gw.fixtures.client({ id: `labels-${database}`, name: 'Labels', grants: 'client_credentials' })) as { secret: string };
    expect((await clientCredentials(gw, `labels-${database}`, secret)).status).toBe(200);
    const series = (await gw.deps.metrics.registry.getSingleMetric(calls)!.get()).values;
    expect(series.length).toBeGreaterThan(0);
    const repositories = new Set(series.map((v) => String(v.labels.repository)));
    for (const repository of repositories) expect(repository).toMatch(/^(store|[a-z][A-Za-z0-9]+)$/);
    for (const v of series) {
      expect(String(v.labels.operation)).toMatch(/^[a-z][A-Za-z]+$/);
      expect(['ok', 'error']).toContain(String(v.labels.outcome));
    }
    const text = (await gw.request('/metrics')).text;
    expect(text).not.toContain(`labels-${database}`);
    expect(text).not.toContain(secret);
  });
});

describe('a failing database call', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway({ database: 'postgres' });
  });

  afterAll(async () => {
    await gw?.close();
  });

  test('is counted in gateway_database_call_errors_total and timed with outcome error', async () => {
    const { url, schema } = gw.shared.schema!;
    const errorsBefore = await counterValue(gw, 'gateway_database_call_errors_total', { repository: 'clients', operation: 'findById' });
    const timedBefore = await callCount(gw, { repository: 'clients', operation: 'findById', outcome: 'error' });
    // The table a client is read from is gone for the length of one request (an unknown client id is never served from memory).
    await onPostgres(url, (ds) => ds.query(`ALTER TABLE "${schema}".clients RENAME TO clients_away`));
    try {
      const res = await clientCredentials(gw, 'nobody-registered', 'whatever');
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await onPostgres(url, (ds) => ds.query(`ALTER TABLE "${schema}".clients_away RENAME TO clients`));
    }
    expect(await counterValue(gw, 'gateway_database_call_errors_total', { repository: 'clients', operation: 'findById' })).toBe(errorsBefore + 1);
    expect(await callCount(gw, { repository: 'clients', operation: 'findById', outcome: 'error' })).toBe(timedBefore + 1);
  });
});

describe('traced store and Redis calls', () => {
  let gw: TestGateway;
  let upstream: TestUpstream;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    upstream = await startUpstream('traced-calls');
    gw = await startTestGateway({
      cache: 'redis',
      spanExporter: exporter,
      config: { tracing: { enabled: true }, routes: [{ prefix: '/api', upstream: upstream.url, accept: ['oauth2'] }] },
    });
  });

  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
  });

  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

  test('each database and Redis call of a request is a client span under the request span', async () => {
    const { secret } = (await gw.fixtures.client({ id: 'traced', name: 'Traced', grants: 'client_credentials' })) as { secret: string };
    await gw.deps.tracing!.flush();
    exporter.reset();
    expect((await clientCredentials(gw, 'traced', secret)).status).toBe(200);
    await gw.deps.tracing!.flush();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'POST oauth2.token')!;
    expect(server).toBeDefined();
    const children = spans.filter((s) => parentOf(s) === server.spanContext().spanId);
    const insert = children.find((s) => s.name === 'db accessTokens.insert')!;
    expect(insert).toBeDefined();
    expect(insert.attributes).toMatchObject({ 'db.system.name': 'sqlite', 'db.operation.name': 'accessTokens.insert' });
    expect(insert.spanContext().traceId).toBe(server.spanContext().traceId);
    const redis = children.filter((s) => s.name.startsWith('redis '));
    expect(redis.length).toBeGreaterThan(0);
    expect(redis[0].attributes['db.system.name']).toBe('redis');
  });

  test('on a proxied route, the token lookup of a bearer not yet cached is a child of the request span, beside the upstream call', async () => {
    const { secret } = (await gw.fixtures.client({ id: 'proxied', name: 'Proxied', grants: 'client_credentials' })) as { secret: string };
    const token = (await clientCredentials(gw, 'proxied', secret)).json.access_token as string;
    // Its first use: no process has verified it yet, so the lookup goes to the shared cache or the database.
    await gw.deps.tracing!.flush();
    exporter.reset();
    expect((await gw.request('/api/items', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await gw.deps.tracing!.flush();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'GET /api')!;
    expect(server).toBeDefined();
    const children = spans.filter((s) => parentOf(s) === server.spanContext().spanId).map((s) => s.name);
    expect(children).toContain('GET upstream');
    expect(children.filter((name) => name.startsWith('db ') || name.startsWith('redis ')).length).toBeGreaterThan(0);
  });

  test('calls outside a request (the fixtures, background work) start no trace of their own', async () => {
    await gw.deps.tracing!.flush();
    exporter.reset();
    await gw.fixtures.client({ id: 'untraced', name: 'Untraced', grants: 'client_credentials' });
    await gw.deps.store.sweepExpired(gw.clock());
    await gw.deps.tracing!.flush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([]);
  });
});
