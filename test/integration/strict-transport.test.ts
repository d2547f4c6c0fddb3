import { startTestGateway, type TestGateway } from '../helpers/gateway';

// Strict-Transport-Security is sent when the configured public URL is https: a browser that
// reached the gateway over TLS keeps using TLS. Over plain http it would mean nothing, so it is left out.

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

test('an https public URL makes every own answer carry Strict-Transport-Security', async () => {
  gateway = await startTestGateway({ config: { server: { publicUrl: 'https://api.example.com' } } });
  const ok = await gateway.request('/healthz');
  expect(ok.status).toBe(200);
  expect(ok.headers.get('strict-transport-security')).toBe('max-age=31536000');
  const refused = await gateway.request('/no-such-path');
  expect(refused.status).toBe(404);
  expect(refused.headers.get('strict-transport-security')).toBe('max-age=31536000');
});

test('an http public URL, or none, sends no Strict-Transport-Security', async () => {
  gateway = await startTestGateway({ config: { server: { publicUrl: 'http://api.example.com' } } });
  const res = await gateway.request('/healthz');
  expect(res.status).toBe(200);
  expect(res.headers.get('strict-transport-security')).toBeNull();
  await gateway.close();

  gateway = await startTestGateway();
  const direct = await gateway.request('/healthz');
  expect(direct.status).toBe(200);
  expect(direct.headers.get('strict-transport-security')).toBeNull();
});
