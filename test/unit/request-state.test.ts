import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { manualClock } from '../../src/clock';
import type { Context, RequestState } from '../../src/http/context';
import { createLogger } from '../../src/http/logger';
import { requestContext } from '../../src/http/request-context';

// ctx.state is declared (RequestState, no index signature): a misspelt field is a compile error, so
// a handler can't set `routname` and leave the access log without its route. ts-jest type-checks
// this file: an @ts-expect-error that no longer finds an error fails the suite.

function touchState(ctx: Context): void {
  ctx.state.routeName = 'probe.route';
  ctx.state.outcome = 'ok';
  // @ts-expect-error a misspelt field is no field of RequestState
  ctx.state.routname = 'probe.route';
  // @ts-expect-error nor is a field nobody declared
  ctx.state.anything = 1;
}

test('every request starts with its id and a logger; the fields a handler sets reach the access line', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const log = createLogger('info', sink);
  const app = new Koa<RequestState>();
  app.use(requestContext(log, log, manualClock(0)));
  app.use(async (ctx) => {
    touchState(ctx);
    ctx.body = { requestId: ctx.state.requestId, logs: typeof ctx.state.log.info };
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { 'x-request-id': 'probe-request-1' } });
    expect(await res.json()).toEqual({ requestId: 'probe-request-1', logs: 'function' });
    const access = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'request');
    expect(access).toMatchObject({ reqId: 'probe-request-1', route: 'probe.route', outcome: 'ok' });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
