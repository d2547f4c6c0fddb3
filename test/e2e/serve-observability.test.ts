import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveGateway } from '../helpers/serve';
import { buildIfNeeded } from '../helpers/build';
import { attributeOf, startOtlpReceiver, type OtlpReceiver } from '../helpers/otlp-receiver';
import { startUpstream, type TestUpstream } from '../helpers/upstream';

// The compiled `oauth-gateway serve`: log.format pretty, and with tracing enabled its spans exported
// over OTLP/HTTP (JSON) to a real receiver (the spans ended before SIGTERM are exported when it stops).

jest.setTimeout(120_000);

let receiver: OtlpReceiver;
let upstream: TestUpstream;
let cwd: string;

beforeAll(async () => {
  buildIfNeeded();
  receiver = await startOtlpReceiver();
  upstream = await startUpstream('traced');
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-tracing-'));
});

afterAll(async () => {
  await upstream.close();
  await receiver.close();
  fs.rmSync(cwd, { recursive: true, force: true });
});

test('serve exports the request span and its upstream child to the OTLP endpoint, and the upstream gets the traceparent', async () => {
  const configFile = path.join(cwd, 'gateway.json');
  fs.writeFileSync(configFile, JSON.stringify({ demo: false, routes: [{ prefix: '/open', upstream: upstream.url, accept: ['public'] }] }));
  const env = { GATEWAY_LOG_LEVEL: 'warn', GATEWAY_TRACING_ENABLED: 'true', GATEWAY_TRACING_ENDPOINT: receiver.url, GATEWAY_TRACING_SERVICE_NAME: 'traced-gateway' };
  const gw = await serveGateway(cwd, env, '--config', configFile);
  try {
    expect((await fetch(`${gw.url}/open/items`)).status).toBe(200);
  } finally {
    gw.child.kill('SIGTERM');
  }
  expect(await gw.exited).toBe(0);

  const server = receiver.spans.find((s) => s.name === 'GET /open');
  expect(server).toBeDefined();
  expect(attributeOf(server!, 'http.route')).toBe('/open');
  const client = receiver.spans.find((s) => s.parentSpanId === server!.spanId);
  expect(client).toMatchObject({ name: 'GET upstream', traceId: server!.traceId });
  expect(receiver.services).toContain('traced-gateway');
  const seen = upstream.seen.find((r) => r.url === '/open/items')!;
  expect(seen.headers.traceparent).toBe(`00-${server!.traceId}-${client!.spanId}-01`);
});


test('log.format pretty writes readable lines instead of JSON; the default is one JSON object per line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-pretty-'));
  try {
    const pretty = await serveGateway(dir, { GATEWAY_LOG_LEVEL: 'info', GATEWAY_LOG_FORMAT: 'pretty' }, '--no-demo');
    pretty.child.kill('SIGTERM');
    expect(await pretty.exited).toBe(0);
    const lines = pretty.stdout().split('\n').filter((l) => l && !l.startsWith('{"url"'));
    const listening = lines.find((l) => l.includes('oauth-gateway listening'));
    expect(listening).toMatch(/INFO/);
    expect(() => JSON.parse(listening!)).toThrow();

    const json = await serveGateway(dir, { GATEWAY_LOG_LEVEL: 'info' }, '--no-demo');
    json.child.kill('SIGTERM');
    expect(await json.exited).toBe(0);
    const parsed = json.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg?: string });
    expect(parsed.some((l) => l.msg === 'oauth-gateway listening')).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
