import { startTestGateway, type TestGateway } from '../helpers/gateway';
import { allowedMethods } from '../../src/http/endpoint';
import { grantCollaborators } from '../../src/oauth2/exchange';
import { GrantRegistry } from '../../src/oauth2/grants';
import { oauth2Endpoints, oauth2Router } from '../../src/oauth2';

// The endpoint modules as mounted: the metadata announces exactly what is mounted and the grants the
// registry builds, and a method an endpoint does not take is 405 with Allow, in the endpoint's format.

const problemType = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw?.close();
});

async function metadata(): Promise<Record<string, unknown>> {
  const res = await gw.request('/.well-known/oauth-authorization-server');
  expect(res.status).toBe(200);
  return res.json;
}

describe('metadata from the endpoint modules', () => {
  test('announces the endpoints RFC 8414, 7662, 7009, 8628 and OpenID Connect name, and no others', async () => {
    const names = Object.keys(await metadata()).filter((k) => k.endsWith('_endpoint'));
    expect(names.sort()).toEqual(['authorization_endpoint', 'device_authorization_endpoint', 'end_session_endpoint', 'introspection_endpoint', 'pushed_authorization_request_endpoint', 'revocation_endpoint', 'token_endpoint', 'userinfo_endpoint']);
  });

  test('every URL it announces is an endpoint the gateway mounts, and every announcing endpoint is in it', async () => {
    const doc = await metadata();
    const endpoints = oauth2Endpoints(gw.deps);
    const router = oauth2Router(gw.deps, endpoints);
    const announced = endpoints.filter((e) => e.announces !== null);
    const urls = Object.entries(doc).filter(([k]) => k.endsWith('_endpoint') || k === 'jwks_uri').map(([, v]) => v);
    expect(urls.sort()).toEqual(announced.map((e) => `${gw.url}${e.paths[0]}`).sort());
    for (const endpoint of announced) {
      for (const method of Object.keys(endpoint.methods)) {
        expect([endpoint.paths[0], method, router.match(endpoint.paths[0], method).route]).toEqual([endpoint.paths[0], method, true]);
      }
    }
  });

  test('every announced URL answers its method on the running gateway (neither 404 nor 405)', async () => {
    const doc = await metadata();
    const methods: Record<string, string> = { authorization_endpoint: 'GET' };
    for (const [name, url] of Object.entries(doc).filter(([k]) => k.endsWith('_endpoint'))) {
      const res = await fetch(url as string, { method: methods[name] ?? 'POST', redirect: 'manual' });
      expect([name, res.status === 404 || res.status === 405]).toEqual([name, false]);
    }
  });

  test('grant_types_supported is what the registry builds, plus implicit from the authorization endpoint', async () => {
    const built = GrantRegistry.build(grantCollaborators(gw.deps)).grantTypes;
    expect(((await metadata()).grant_types_supported as string[]).sort()).toEqual([...built, 'implicit'].sort());
  });

  test('every OAuth 2.0 endpoint says what it announces, or null', () => {
    for (const endpoint of oauth2Endpoints(gw.deps)) expect(endpoint.announces).not.toBeUndefined();
  });
});

describe('a method an endpoint does not take is 405 with Allow', () => {
  test.each([
    ['PUT', '/oauth2/token', 'POST'],
    ['DELETE', '/oauth2/introspect', 'POST'],
    ['GET', '/oauth2/revoke', 'POST'],
    ['GET', '/oauth2/device_authorization', 'POST'],
    ['POST', '/.well-known/oauth-authorization-server', 'GET, HEAD'],
  ])('%s %s answers RFC 6749 JSON invalid_request, Allow: %s', async (method, path, allow) => {
    const res = await gw.request(path, { method });
    expect([res.status, res.headers.get('allow'), res.json?.error]).toEqual([405, allow, 'invalid_request']);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test.each([
    ['PUT', '/api/oauth', 'POST'],
    ['POST', '/api/oauth/privileges', 'GET, HEAD'],
  ])('%s %s answers Problem Details, Allow: %s', async (method, path, allow) => {
    const res = await gw.request(path, { method, headers: { accept: 'application/json' } });
    expect([res.status, res.headers.get('allow')]).toEqual([405, allow]);
    expect(res.json).toEqual({ type: problemType, title: 'Method Not Allowed', status: 405, detail: expect.any(String) });
  });

  test.each([
    ['PUT', '/oauth2/authorize', 'GET, POST, HEAD'],
    ['GET', '/oauth2/authorize/decision', 'POST'],
    ['POST', '/oauth2/authorize/resume', 'GET, HEAD'],
    ['DELETE', '/device', 'GET, POST, HEAD'],
    ['PATCH', '/device/confirm', 'GET, POST, HEAD'],
    ['POST', '/device/done', 'GET, HEAD'],
    ['PUT', '/login', 'GET, POST, HEAD'],
    ['DELETE', '/logout', 'GET, POST, HEAD'],
    ['PUT', '/oauth/user_auth', 'GET, POST, HEAD'],
  ])('the page %s %s answers an HTML error page, Allow: %s', async (method, path, allow) => {
    const res = await gw.request(path, { method });
    expect([res.status, res.headers.get('allow')]).toEqual([405, allow]);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  test('the bearer resource /oauth2/whoami answers the gateway JSON', async () => {
    const res = await gw.request('/oauth2/whoami', { method: 'POST' });
    expect([res.status, res.headers.get('allow'), res.json?.error]).toEqual([405, 'GET, HEAD', 'method_not_allowed']);
  });

  test('a method no router knows (PROPFIND) is 405 in the endpoint format too', async () => {
    const res = await gw.request('/oauth2/token', { method: 'PROPFIND' });
    expect([res.status, res.headers.get('allow'), res.json?.error]).toEqual([405, 'POST', 'invalid_request']);
  });

  test('an own endpoint not mounted as a module (OAuth 1.0a, health) is 405 in the gateway JSON', async () => {
    const token = await gw.request('/oauth/request_token', { method: 'PUT' });
    expect([token.status, token.headers.get('allow')?.split(', ').sort(), token.json?.error]).toEqual([405, ['GET', 'HEAD', 'POST'], 'method_not_allowed']);
    const health = await gw.request('/healthz', { method: 'DELETE' });
    expect([health.status, health.headers.get('allow')?.split(', ').sort()]).toEqual([405, ['GET', 'HEAD']]);
  });

  test('a preflight is still answered by CORS, not refused', async () => {
    const res = await gw.request('/oauth2/token', { method: 'OPTIONS' });
    expect([res.status, res.headers.get('allow')]).toEqual([204, 'POST, OPTIONS']);
  });

  test('the Allow header names what the endpoint module declares', () => {
    const token = oauth2Endpoints(gw.deps).find((e) => e.paths.includes('/oauth2/token'))!;
    expect(allowedMethods(token)).toEqual(['POST']);
  });
});

test('no secret or token appears in the logs', () => {
  expect(gw.leakedSecrets()).toEqual([]);
});
