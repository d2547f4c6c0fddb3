import { loadConfig } from '../../src/config';
import { parseListenAddress } from '../../src/config/listen-address';

// admin.listen (GATEWAY_ADMIN_LISTEN): where the admin API's own listener binds; a bare port is loopback.

test.each([
  ['127.0.0.1:9091', { host: '127.0.0.1', port: 9091 }],
  ['9091', { host: '127.0.0.1', port: 9091 }],
  ['[::1]:9091', { host: '::1', port: 9091 }],
  ['0.0.0.0:9091', { host: '0.0.0.0', port: 9091 }],
  ['localhost:0', { host: 'localhost', port: 0 }],
])('%s binds %j', (value, expected) => {
  expect(parseListenAddress(value)).toEqual(expected);
});

test.each(['admin.example.com:9091', '70000', ':9091', '127.0.0.1:', 'nine', '::1:9091', '127.0.0.1:9091/x'])('%s is not a listen address', (value) => {
  expect(parseListenAddress(value)).toBeNull();
});

test('GATEWAY_ADMIN_LISTEN sets admin.listen; by default there is no admin listener', () => {
  expect(loadConfig({ env: { GATEWAY_ADMIN_LISTEN: '127.0.0.1:9091' } }).admin.listen).toBe('127.0.0.1:9091');
  expect(loadConfig({ env: {} }).admin.listen).toBeNull();
  expect(loadConfig({ env: { GATEWAY_ADMIN_LISTEN: '' } }).admin.listen).toBeNull();
});

function loadError(env: Record<string, string>, overrides: Record<string, unknown> = {}): Error {
  try {
    loadConfig({ env, overrides });
  } catch (err) {
    return err as Error;
  }
  throw new Error('the configuration was accepted');
}

test('a bad value is refused with one line naming the key and the variable', () => {
  const err = loadError({ GATEWAY_ADMIN_LISTEN: 'admin.internal:9091' });
  expect(err.message).toMatch(/^config: admin\.listen \(GATEWAY_ADMIN_LISTEN\): must be HOST:PORT/);
  expect(err.message).not.toContain('\n');
});

test("the main listener's port is refused", () => {
  const err = loadError({ GATEWAY_PORT: '8080', GATEWAY_ADMIN_LISTEN: '127.0.0.1:8080' });
  expect(err.message).toMatch(/^config: admin\.listen \(GATEWAY_ADMIN_LISTEN\): must not use the main listener's port 8080$/);
});
