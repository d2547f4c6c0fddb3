import { UnknownRequestHost, originConfig } from '../../src/http/public-origin';
import { requestBaseUri } from '../../src/oauth1/base-uri';

const direct = originConfig({ publicUrl: null, trustedProxies: [] });
const behindProxy = originConfig({ publicUrl: null, trustedProxies: ['10.0.0.2', '::1'] });

describe('requestBaseUri', () => {
  test('uses http and the Host header for a direct request', () => {
    expect(requestBaseUri({ url: '/oauth/request_token?a=1', host: 'gw.local:8080', remoteAddress: '192.0.2.7' }, direct)).toBe(
      'http://gw.local:8080/oauth/request_token',
    );
  });

  test('uses publicUrl over the Host header and forwarding headers', () => {
    const uri = requestBaseUri(
      { url: '/oauth/access_token', host: 'internal:3000', remoteAddress: '10.0.0.2', xForwardedProto: 'http', xForwardedHost: 'other' },
      originConfig({ publicUrl: 'https://api.example.com', trustedProxies: ['10.0.0.2'] }),
    );
    expect(uri).toBe('https://api.example.com/oauth/access_token');
  });

  test('prepends the path prefix of publicUrl', () => {
    expect(requestBaseUri({ url: '/oauth/access_token', host: 'internal' }, originConfig({ publicUrl: 'https://x.example/gw', trustedProxies: [] }))).toBe(
      'https://x.example/gw/oauth/access_token',
    );
  });

  test('does not double the slash after a publicUrl ending in /', () => {
    expect(requestBaseUri({ url: '/r', host: 'internal' }, originConfig({ publicUrl: 'https://x.example/gw/', trustedProxies: [] }))).toBe(
      'https://x.example/gw/r',
    );
  });

  test('drops the default port written in publicUrl', () => {
    expect(requestBaseUri({ url: '/r' }, originConfig({ publicUrl: 'https://API.example.com:443', trustedProxies: [] }))).toBe('https://api.example.com/r');
  });

  test("honours a trusted proxy's X-Forwarded-Proto https", () => {
    expect(requestBaseUri({ url: '/r', host: 'api.example.com', remoteAddress: '10.0.0.2', xForwardedProto: 'https' }, behindProxy)).toBe(
      'https://api.example.com/r',
    );
  });

  test("honours a trusted proxy's X-Forwarded-Host, taking the first value", () => {
    const uri = requestBaseUri(
      { url: '/r', host: 'internal:3000', remoteAddress: '10.0.0.2', xForwardedProto: 'https, http', xForwardedHost: 'api.example.com, internal' },
      behindProxy,
    );
    expect(uri).toBe('https://api.example.com/r');
  });

  test("honours a trusted proxy's RFC 7239 Forwarded header", () => {
    const uri = requestBaseUri(
      { url: '/r', host: 'internal:3000', remoteAddress: '10.0.0.2', forwarded: 'for=192.0.2.60;proto=https;host="api.example.com", for=10.0.0.9' },
      behindProxy,
    );
    expect(uri).toBe('https://api.example.com/r');
  });

  test('recognises a trusted proxy given as an IPv4-mapped IPv6 peer', () => {
    expect(requestBaseUri({ url: '/r', host: 'h', remoteAddress: '::ffff:10.0.0.2', xForwardedProto: 'https' }, behindProxy)).toBe('https://h/r');
  });

  test("ignores an untrusted peer's forwarding headers", () => {
    const uri = requestBaseUri(
      {
        url: '/r',
        host: 'gw.local',
        remoteAddress: '192.0.2.7',
        xForwardedProto: 'https',
        xForwardedHost: 'evil.example',
        forwarded: 'proto=https;host=evil.example',
      },
      behindProxy,
    );
    expect(uri).toBe('http://gw.local/r');
  });

  test('falls back to the Host header when a trusted proxy sends a host that is not an authority', () => {
    expect(requestBaseUri({ url: '/r', host: 'gw.local', remoteAddress: '10.0.0.2', xForwardedHost: 'a/b@c' }, behindProxy)).toBe('http://gw.local/r');
  });

  test('ignores a forwarded scheme other than http or https', () => {
    expect(requestBaseUri({ url: '/r', host: 'gw.local', remoteAddress: '10.0.0.2', xForwardedProto: 'javascript' }, behindProxy)).toBe(
      'http://gw.local/r',
    );
  });

  test('drops port 443 forwarded with https', () => {
    expect(
      requestBaseUri({ url: '/r', host: 'internal', remoteAddress: '10.0.0.2', xForwardedProto: 'https', xForwardedHost: 'api.example.com:443' }, behindProxy),
    ).toBe('https://api.example.com/r');
  });

  test('drops port 80 in the Host header of a plain request', () => {
    expect(requestBaseUri({ url: '/r', host: 'GW.Local:80' }, direct)).toBe('http://gw.local/r');
  });

  test('keeps the request path as sent and drops the query', () => {
    expect(requestBaseUri({ url: '/a%2Fb/c%7e?x=1', host: 'h' }, direct)).toBe('http://h/a%2Fb/c%7e');
  });

  test('takes only the path from an absolute-form request target', () => {
    expect(requestBaseUri({ url: 'http://elsewhere.example/r?x', host: 'h' }, direct)).toBe('http://h/r');
  });

  test('throws UnknownRequestHost when there is no Host and no publicUrl', () => {
    expect(() => requestBaseUri({ url: '/r' }, direct)).toThrow(UnknownRequestHost);
  });
});
