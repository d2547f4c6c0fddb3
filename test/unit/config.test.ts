import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, configSchema, environmentOverrides, ConfigError } from '../../src/config';
import { decodeSecretKey } from '../../src/crypto';
import { demoConfig } from '../../src/demo/enabled';
import { projectRoot } from '../../src/paths';

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
  test('without a file or variables: 127.0.0.1:8080, SQLite under ./data, memory cache', () => {
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

describe('upstream limits', () => {
  test('every upstream gets 256 connections, a queue of 1024, a 5 s queue timeout, half for anonymous callers and a 10 s body idle timeout unless configured', () => {
    expect(loadConfig({ env: {} }).upstreamLimits).toEqual({
      maxConnections: 256,
      maxQueued: 1024,
      queueTimeoutSeconds: 5,
      anonymousShare: 0.5,
      bodyIdleTimeoutSeconds: 10,
      perUpstream: {},
    });
  });

  test.each([[0], [-0.1], [1.5], ['half']])('an anonymousShare of %p is refused', (share) => {
    expect(loadError({ env: {}, overrides: { upstreamLimits: { anonymousShare: share } } }).message).toMatch(/^config: upstreamLimits\.anonymousShare: /);
  });

  test.each([[0], [1.5], [3601]])('a bodyIdleTimeoutSeconds of %p is refused', (seconds) => {
    expect(loadError({ env: {}, overrides: { upstreamLimits: { bodyIdleTimeoutSeconds: seconds } } }).message).toMatch(/^config: upstreamLimits\.bodyIdleTimeoutSeconds: /);
  });

  test('perUpstream may override the anonymous share and the body idle timeout, and holds them to the same rules', () => {
    const url = 'http://api.internal:3000';
    const config = loadConfig({ env: {}, overrides: { upstream: url, upstreamLimits: { perUpstream: { [url]: { anonymousShare: 1, bodyIdleTimeoutSeconds: 60 } } } } });
    expect(config.upstreamLimits.perUpstream[url]).toEqual({ anonymousShare: 1, bodyIdleTimeoutSeconds: 60 });
    const overrides = { upstream: url, upstreamLimits: { perUpstream: { [url]: { anonymousShare: 0 } } } };
    expect(loadError({ env: {}, overrides }).message).toMatch(/^config: upstreamLimits\.perUpstream\.http:\/\/api\.internal:3000\.anonymousShare: /);
  });

  test('perUpstream may override the limits of a configured upstream', () => {
    const config = loadConfig({ env: {}, overrides: { upstream: 'http://api.internal:3000/v1', upstreamLimits: { perUpstream: { 'http://api.internal:3000': { maxConnections: 8 } } } } });
    expect(config.upstreamLimits.perUpstream['http://api.internal:3000']).toEqual({ maxConnections: 8 });
  });

  test('a perUpstream entry that names no configured upstream is refused, by name', () => {
    const overrides = { upstream: 'http://api.internal:3000', upstreamLimits: { perUpstream: { 'http://api.internal:3001': { maxConnections: 8 } } } };
    expect(loadError({ env: {}, overrides }).message).toMatch(/^config: upstreamLimits\.perUpstream\.http:\/\/api\.internal:3001: names no configured upstream/);
  });

  test('a connection cap of 0 is refused', () => {
    expect(loadError({ env: {}, overrides: { upstreamLimits: { maxConnections: 0 } } }).message).toMatch(/^config: upstreamLimits\.maxConnections: /);
  });
});

describe('unknown keys are refused, by name', () => {
  test.each([
    [{ serverr: { port: 1 } }, 'serverr', 'unknown key'],
    [{ server: { trustedProxy: ['10.0.0.1'] } }, 'server.trustedProxy', 'unknown key'],
    [{ oauth2: { bearerInQuerry: true } }, 'oauth2.bearerInQuerry', 'unknown key'],
    [{ routes: [{ prefix: '/api', upstream: 'http://a' }, { prefix: '/b', upstream: 'http://b', strip_prefix: true }] }, 'routes.1.strip_prefix', 'unknown key'],
    [{ lifetimes: { access: 60, refresh: 60 } }, 'lifetimes.access, lifetimes.refresh', 'unknown keys'],
  ])('in a config file: %j names %s', (config, key, problem) => {
    const file = tempFile(JSON.stringify(config));
    const err = loadError({ configFile: file, env: {} });
    expect(err.message).toBe(`config: ${key}: ${problem}`);
  });

  test('overrides (the CLI\'s, a test\'s) are held to the same schema', () => {
    expect(loadError({ env: {}, overrides: { server: { portt: 1 } } }).message).toBe('config: server.portt: unknown key');
  });

  test('the example production config holds only known keys', () => {
    expect(() => loadConfig({ configFile: path.join(projectRoot, 'config', 'production.example.json'), env: {} })).not.toThrow();
  });
});

describe('defaults live in the schema', () => {
  test('config/default.json shows exactly the schema\'s defaults', () => {
    const shown = JSON.parse(fs.readFileSync(path.join(projectRoot, 'config', 'default.json'), 'utf8'));
    expect(shown).toEqual(configSchema.parse({}));
  });

  test('loading config/default.json as --config changes nothing', () => {
    const withFile = loadConfig({ configFile: path.join(projectRoot, 'config', 'default.json'), env: {}, cwd: '/srv/gw' });
    expect(withFile).toEqual(loadConfig({ env: {}, cwd: '/srv/gw' }));
  });

  test('a section given in part takes the other keys of that section from the defaults', () => {
    const file = tempFile(JSON.stringify({ oauth1: { realm: 'legacy' }, routes: [{ prefix: '/api', upstream: 'http://a' }] }));
    const config = loadConfig({ configFile: file, env: {} });
    expect(config.oauth1).toMatchObject({ realm: 'legacy', timestampWindowSeconds: 300, signatureMethods: ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'PLAINTEXT'] });
    expect(config.routes[0]).toMatchObject({ accept: ['oauth1', 'oauth2'], timeoutSeconds: 30, writeUpstream: null });
  });

  test('every setting has a row in the README\'s Configuration table, with the variable env.ts reads for it', () => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const documented = new Map<string, string>();
    for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
      const [keys, variable] = row.split(' | ');
      for (const [, key] of keys.matchAll(/`([A-Za-z0-9.]+)`/g)) documented.set(key, variable.replace(/`/g, '').trim());
    }
    const leaves = (value: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(value).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null && !Array.isArray(v) ? leaves(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    // The ldap section is absent by default: its keys are the ones a minimal section takes.
    const settings = leaves(configSchema.parse({ ldap: { url: 'ldap://directory.example', searchBase: 'dc=example' } }));
    expect([...documented.keys()].sort()).toEqual(settings.sort());
    for (const { name, path: keyPath } of environmentOverrides) expect([keyPath.join('.'), documented.get(keyPath.join('.'))]).toEqual([keyPath.join('.'), name]);
  });
});

describe('the loaded configuration is frozen', () => {
  test('changing a setting, a section, the route table or a route throws', () => {
    const file = tempFile(JSON.stringify({ routes: [{ prefix: '/api', upstream: 'http://a' }] }));
    const config = loadConfig({ configFile: file, env: {} }) as any;
    expect(() => {
      config.upstream = 'http://elsewhere';
    }).toThrow(TypeError);
    expect(() => {
      config.oauth1.plaintextOverHttp = true;
    }).toThrow(TypeError);
    expect(() => config.routes.push({ prefix: '/x', upstream: 'http://x' })).toThrow(TypeError);
    expect(() => {
      config.routes[0].accept.push('public');
    }).toThrow(TypeError);
    expect(config.upstream).toBeNull();
    expect(config.routes[0].accept).toEqual(['oauth1', 'oauth2']);
  });

  test('the demo derives its configuration (its backend as upstream, PLAINTEXT over http on loopback) and leaves the loaded one as it was', () => {
    const loaded = loadConfig({ env: {} });
    const sandbox = demoConfig(loaded, 'http://127.0.0.1:4000');
    expect([sandbox.upstream, sandbox.oauth1.plaintextOverHttp]).toEqual(['http://127.0.0.1:4000', true]);
    expect([loaded.upstream, loaded.oauth1.plaintextOverHttp]).toEqual([null, false]);
    expect(Object.isFrozen(sandbox.oauth1)).toBe(true);
    // The demo clients' redirect URI is the backend's callback page, reached without credentials.
    expect(sandbox.routes.map((r) => [r.prefix, r.upstream, r.accept])).toEqual([['/demo/callback', 'http://127.0.0.1:4000', ['public']]]);
    expect(loaded.routes).toEqual([]);
    const elsewhere = demoConfig(loadConfig({ env: { GATEWAY_HOST: '0.0.0.0' } }), 'http://127.0.0.1:4000');
    expect(elsewhere.oauth1.plaintextOverHttp).toBe(false);
  });
});

describe('the route table is checked by the schema', () => {
  const routesError = (routes: unknown[]) => loadError({ configFile: tempFile(JSON.stringify({ routes })), env: {} }).message;

  test('two routes with the same prefix, up to a trailing slash, are refused naming the second', () => {
    expect(routesError([{ prefix: '/x', upstream: 'http://a' }, { prefix: '/x/', upstream: 'http://b' }])).toMatch(
      /^config: routes\.1\.prefix: two routes share the prefix \/x \(routes\.0 and routes\.1;/,
    );
  });

  test('prefixes that differ only in case are one prefix', () => {
    expect(routesError([{ prefix: '/api', upstream: 'http://a' }, { prefix: '/b', upstream: 'http://b' }, { prefix: '/API', upstream: 'http://c' }])).toMatch(
      /^config: routes\.2\.prefix: two routes share the prefix \/API \(routes\.0 and routes\.2;/,
    );
  });

  test.each(['/a;b', '/a//b', '/admin.', '/a/../b', '/%41pi', '/a%2Fb', '/a /b'])('a prefix no canonical path can spell (%s) is refused', (prefix) => {
    expect(routesError([{ prefix, upstream: 'http://a' }])).toMatch(/^config: routes\.0\.prefix: the prefix .* is not a canonical path/);
  });

  test('a prefix is held without its trailing slash, as the gateway matches it', () => {
    const config = loadConfig({ env: {}, overrides: { routes: [{ prefix: '/api/', upstream: 'http://a' }, { prefix: '/', upstream: 'http://root' }] } });
    expect(config.routes.map((r) => r.prefix)).toEqual(['/api', '/']);
  });
});

describe('one secret-key rule', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 200 + (i % 50)));
  test.each([
    ['hex', bytes.toString('hex')],
    ['HEX', bytes.toString('hex').toUpperCase()],
    ['base64', bytes.toString('base64')],
    ['base64url', bytes.toString('base64url')],
    ['63 hex characters', bytes.toString('hex').slice(1)],
    ['31 bytes in base64', bytes.subarray(1).toString('base64')],
    ['33 bytes in base64', Buffer.concat([bytes, Buffer.alloc(1)]).toString('base64')],
    ['base64 with a character that is not base64', '*' + bytes.toString('base64').slice(1)],
    ['base64 with a space', bytes.toString('base64').slice(0, 20) + ' ' + bytes.toString('base64').slice(21)],
    ['empty', ''],
  ])('%s: the config accepts exactly what the key decoder accepts', (_name, key) => {
    let decodes = true;
    try {
      decodeSecretKey(key);
    } catch {
      decodes = false;
    }
    expect(configSchema.safeParse({ secretKey: key }).success).toBe(decodes);
  });

  test('hex, base64 and base64url of the same 32 bytes decode to them', () => {
    for (const encoding of ['hex', 'base64', 'base64url'] as const) expect(decodeSecretKey(bytes.toString(encoding)).equals(bytes)).toBe(true);
  });
});

