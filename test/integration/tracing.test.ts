import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// Issue 19 item 3: OpenTelemetry tracing, in process with the SDK's InMemorySpanExporter wired through
// the runtime (the OTLP/HTTP export to a real receiver runs in test/e2e/serve-tracing.test.ts).

let upstream: TestUpstream;

beforeAll(async () => {
  upstream = await startUpstream('traced');
});

afterAll(async () => {
  await upstream.close();
});

async function tracedGateway(tracing: Record<string, unknown>, trustedProxies: string[] = []): Promise<{ gw: TestGateway; exporter: InMemorySpanExporter }> {
  const exporter = new InMemorySpanExporter();
  const gw = await startTestGateway({
    spanExporter: exporter,
    config: {
      server: { trustedProxies },
      tracing: { enabled: true, ...tracing },
      routes: [{ prefix: '/open', upstream: upstream.url, accept: ['public'] }],
    },
  });
  return { gw, exporter };
}

const clientTraceId = '0af7651916cd43dd8448eb211c80319c';
const clientParentId = 'b7ad6b7169203331';
const clientTraceparent = `00-${clientTraceId}-${clientParentId}-01`;

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

test('a proxied request is a server span with the upstream call as its child, and the upstream receives its traceparent', async () => {
  const { gw, exporter } = await tracedGateway({});
  try {
    const seenBefore = upstream.seen.length;
    expect((await gw.request('/open/items?x=1', { headers: { traceparent: clientTraceparent } })).status).toBe(200);
    await gw.deps.tracing!.flush();
    const spans = exporter.getFinishedSpans();
    const server = spans.find((s) => s.name === 'GET /open')!;
    expect(server).toBeDefined();
    expect(server.attributes).toMatchObject({ 'http.route': '/open', 'http.response.status_code': 200, 'url.path': '/open/items' });
    // The test client is no trusted proxy: its traceparent does not pick the gateway's trace.
    expect(server.spanContext().traceId).not.toBe(clientTraceId);
    expect(parentOf(server)).toBeUndefined();
    const client = spans.find((s) => parentOf(s) === server.spanContext().spanId)!;
    expect(client.name).toBe('GET upstream');
    expect(client.spanContext().traceId).toBe(server.spanContext().traceId);
    // The upstream's request carries the gateway's context (not the client's): same trace, the upstream span as parent.
    const seen = upstream.seen.slice(seenBefore).find((r) => r.url.startsWith('/open/items'))!;
    expect(seen.headers.traceparent).toBe(`00-${server.spanContext().traceId}-${client.spanContext().spanId}-01`);
  } finally {
    await gw.close();
  }
});

test("a trusted proxy's traceparent becomes the parent of the gateway's span", async () => {
  const { gw, exporter } = await tracedGateway({}, ['127.0.0.1']);
  try {
    expect((await gw.request('/open/continued', { headers: { traceparent: clientTraceparent } })).status).toBe(200);
    await gw.deps.tracing!.flush();
    const server = exporter.getFinishedSpans().find((s) => s.name === 'GET /open')!;
    expect(server.spanContext().traceId).toBe(clientTraceId);
    expect(parentOf(server)).toBe(clientParentId);
  } finally {
    await gw.close();
  }
});

test("with acceptIncoming: never even a trusted proxy's traceparent is ignored", async () => {
  const { gw, exporter } = await tracedGateway({ acceptIncoming: 'never' }, ['127.0.0.1']);
  try {
    expect((await gw.request('/open/fresh', { headers: { traceparent: clientTraceparent } })).status).toBe(200);
    await gw.deps.tracing!.flush();
    const server = exporter.getFinishedSpans().find((s) => s.name === 'GET /open')!;
    expect(server.spanContext().traceId).not.toBe(clientTraceId);
  } finally {
    await gw.close();
  }
});

test('sampleRatio 0 records no new trace, and the upstream is told the trace is not sampled', async () => {
  const { gw, exporter } = await tracedGateway({ sampleRatio: 0 });
  try {
    const seenBefore = upstream.seen.length;
    expect((await gw.request('/open/unsampled')).status).toBe(200);
    await gw.deps.tracing!.flush();
    expect(exporter.getFinishedSpans()).toEqual([]);
    const seen = upstream.seen.slice(seenBefore).find((r) => r.url.startsWith('/open/unsampled'))!;
    expect(seen.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  } finally {
    await gw.close();
  }
});

test("the gateway's own endpoints get a span named after the endpoint", async () => {
  const { gw, exporter } = await tracedGateway({});
  try {
    expect((await gw.request('/.well-known/oauth-authorization-server')).status).toBe(200);
    await gw.deps.tracing!.flush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toContain('GET oauth2.metadata');
  } finally {
    await gw.close();
  }
});

test('disabled (the default), no tracer exists and the client traceparent is what the upstream gets', async () => {
  const gw = await startTestGateway({ config: { routes: [{ prefix: '/open', upstream: upstream.url, accept: ['public'] }] } });
  try {
    expect(gw.deps.tracing).toBeNull();
    const seenBefore = upstream.seen.length;
    expect((await gw.request('/open/untraced', { headers: { traceparent: clientTraceparent } })).status).toBe(200);
    const seen = upstream.seen.slice(seenBefore).find((r) => r.url.startsWith('/open/untraced'))!;
    expect(seen.headers.traceparent).toBe(clientTraceparent);
  } finally {
    await gw.close();
  }
});
