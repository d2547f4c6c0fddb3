import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config';

function tempFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-config-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, content);
  return file;
}

function loadError(options: Parameters<typeof loadConfig>[0]): ConfigError {
  try {
    loadConfig(options);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  test('the default file gives the embedded defaults: 127.0.0.1:8080, SQLite under ./data, memory cache', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/gw' });
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.port).toBe(8080);
    expect(config.dataDir).toBe('/srv/gw/data');
    expect(config.database.url).toBeNull();
    expect(config.redis.url).toBeNull();
    expect(config.demo).toBe(true);
    expect(config.metrics.token).toBeNull();
  });

  test('PLAINTEXT over plain http is off by default; GATEWAY_OAUTH1_PLAINTEXT_OVER_HTTP turns it on for local development', () => {
    expect(loadConfig({ env: {} }).oauth1.plaintextOverHttp).toBe(false);
    expect(loadConfig({ env: { GATEWAY_OAUTH1_PLAINTEXT_OVER_HTTP: 'true' } }).oauth1.plaintextOverHttp).toBe(true);
  });

  test('GATEWAY_METRICS_TOKEN sets the scrape token of /metrics', () => {
    expect(loadConfig({ env: { GATEWAY_METRICS_TOKEN: ' scrape-token-0123456789 ' } }).metrics.token).toBe('scrape-token-0123456789');
  });

  test('token lifetimes default to the seeds: OAuth1 access 60 min, codes 10 min, ClearPass 8 h access and 14 d refresh', () => {
    const { lifetimes } = loadConfig({ env: {} });
    expect(lifetimes.oauth1AccessToken).toBe(60 * 60);
    expect(lifetimes.authorizationCode).toBe(10 * 60);
    expect(lifetimes.accessToken).toBe(8 * 60 * 60);
    expect(lifetimes.refreshToken).toBe(14 * 24 * 60 * 60);
  });

  test('environment variables override the file', () => {
    const config = loadConfig({
      env: {
        GATEWAY_PORT: '9090',
        GATEWAY_HOST: '0.0.0.0',
        GATEWAY_PUBLIC_URL: 'https://api.example.com/',
        GATEWAY_DATA_DIR: '/var/lib/gw',
        GATEWAY_DATABASE_URL: 'postgres://u@db/gw',
        GATEWAY_REDIS_URL: 'redis://cache:6379',
        GATEWAY_UPSTREAM: 'http://backend:3000',
        GATEWAY_SECRET_KEY: 'a'.repeat(64),
        GATEWAY_LOG_LEVEL: 'debug',
      },
    });
    expect(config.server.port).toBe(9090);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.server.publicUrl).toBe('https://api.example.com');
    expect(config.dataDir).toBe('/var/lib/gw');
    expect(config.database.url).toBe('postgres://u@db/gw');
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.upstream).toBe('http://backend:3000');
    expect(config.secretKey).toBe('a'.repeat(64));
    expect(config.log.level).toBe('debug');
  });

  test('--config FILE is merged over the defaults and under the environment', () => {
    const file = tempFile(JSON.stringify({ server: { port: 7000 }, lifetimes: { accessToken: 600 } }));
    const config = loadConfig({ configFile: file, env: { GATEWAY_HOST: '::1' } });
    expect(config.server.port).toBe(7000);
    expect(config.server.host).toBe('::1');
    expect(config.lifetimes.accessToken).toBe(600);
    expect(config.lifetimes.refreshToken).toBe(14 * 24 * 60 * 60);
  });

  test('an empty GATEWAY_REDIS_URL selects the in-memory cache', () => {
    const file = tempFile(JSON.stringify({ redis: { url: 'redis://cache:6379' } }));
    expect(loadConfig({ configFile: file, env: { GATEWAY_REDIS_URL: '' } }).redis.url).toBeNull();
  });

  test.each([
    [{ GATEWAY_PORT: 'eighty' }, 'GATEWAY_PORT', 'whole number'],
    [{ GATEWAY_PORT: '70000' }, 'server.port (GATEWAY_PORT)', ''],
    [{ GATEWAY_PUBLIC_URL: 'not a url' }, 'server.publicUrl (GATEWAY_PUBLIC_URL)', 'http(s) URL'],
    [{ GATEWAY_DATABASE_URL: 'mysql://x/y' }, 'database.url (GATEWAY_DATABASE_URL)', 'postgres://'],
    [{ GATEWAY_REDIS_URL: 'http://cache' }, 'redis.url (GATEWAY_REDIS_URL)', 'redis://'],
    [{ GATEWAY_UPSTREAM: 'ftp://backend' }, 'upstream (GATEWAY_UPSTREAM)', 'http(s) URL'],
    [{ GATEWAY_SECRET_KEY: 'short' }, 'secretKey (GATEWAY_SECRET_KEY)', '32 bytes'],
    [{ GATEWAY_LOG_LEVEL: 'loud' }, 'log.level (GATEWAY_LOG_LEVEL)', ''],
    [{ GATEWAY_DEMO: 'maybe' }, 'GATEWAY_DEMO', 'true or false'],
    [{ GATEWAY_CACHE_MEMORY_MAX_BYTES: '1024' }, 'cache.memoryMaxBytes (GATEWAY_CACHE_MEMORY_MAX_BYTES)', 'at least 65536'],
    [{ GATEWAY_CACHE_MEMORY_MAX_BYTES: '64MiB' }, 'GATEWAY_CACHE_MEMORY_MAX_BYTES', 'whole number'],
    [{ GATEWAY_METRICS_TOKEN: 'short' }, 'metrics.token (GATEWAY_METRICS_TOKEN)', 'at least 16 characters'],
    [{ GATEWAY_METRICS_TOKEN: 'sixteen chars or more!' }, 'metrics.token (GATEWAY_METRICS_TOKEN)', 'may hold only'],
  ])('a bad value %j is refused with one line naming %s', (env, key, problem) => {
    const err = loadError({ env });
    expect(err.message.startsWith(`config: ${key}: `)).toBe(true);
    expect(err.message).toContain(problem);
    expect(err.message).not.toContain('\n');
  });

  test('the memory cache is bounded to 64 MiB unless configured', () => {
    expect(loadConfig({ env: {} }).cache.memoryMaxBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ env: { GATEWAY_CACHE_MEMORY_MAX_BYTES: '1048576' } }).cache.memoryMaxBytes).toBe(1048576);
  });

  test.each([
    [{ hashing: { maxConcurrent: 0 } }, 'hashing.maxConcurrent'],
    [{ hashing: { maxQueued: -1 } }, 'hashing.maxQueued'],
    [{ clientAuth: { maxFailures: 0 } }, 'clientAuth.maxFailures'],
    [{ clientAuth: { lockSeconds: 1.5 } }, 'clientAuth.lockSeconds'],
  ])('a bad limit %j is refused naming %s', (config, key) => {
    const file = tempFile(JSON.stringify(config));
    expect(loadError({ configFile: file, env: {} }).message.startsWith(`config: ${key}: `)).toBe(true);
  });

  test('an authorization code lifetime over ten minutes is refused', () => {
    const file = tempFile(JSON.stringify({ lifetimes: { authorizationCode: 900 } }));
    expect(loadError({ configFile: file, env: {} }).message).toContain('lifetimes.authorizationCode');
  });

  test('a config file that is not JSON names the file', () => {
    const file = tempFile('{ port: 1 ');
    const err = loadError({ configFile: file, env: {} });
    expect(err.message).toContain('--config');
    expect(err.message).toContain(file);
  });

  test('a missing config file is refused', () => {
    expect(loadError({ configFile: '/nonexistent/gw.json', env: {} }).message).toContain('ENOENT');
  });

  test('a route with a bad prefix is refused with its position', () => {
    const file = tempFile(JSON.stringify({ routes: [{ prefix: 'api', upstream: 'http://b' }] }));
    expect(loadError({ configFile: file, env: {} }).message).toMatch(/^config: routes\.0\.prefix: /);
  });
});
