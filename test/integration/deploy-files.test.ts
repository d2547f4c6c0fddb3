import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { loadConfig } from '../../src/config';
import { repoRoot } from '../helpers/build';
import { parse as parseYaml } from 'yaml';

jest.setTimeout(900_000);

const file = (...parts: string[]) => path.join(repoRoot, ...parts);
const read = (...parts: string[]) => fs.readFileSync(file(...parts), 'utf8');

/** Whether a command runs here at all (exit 0); decided once, when the file loads. */
function works(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 });
  return r.error === undefined && r.status === 0;
}
const dockerDaemon = works('docker', ['info']);
const dockerCompose = works('docker', ['compose', 'version']);
const systemdAnalyze = works('systemd-analyze', ['--version']);
if (!dockerDaemon) console.log('deploy-files: no Docker daemon answers `docker info` here: the image build-and-start test is skipped');
if (!dockerCompose) console.log('deploy-files: `docker compose` is not available: the compose file is parsed and checked here instead of `docker compose config`');
if (!systemdAnalyze) console.log('deploy-files: no systemd-analyze: the unit file is checked by its keys only');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  networks?: Record<string, { ipv4_address?: string }> | string[];
  healthcheck?: unknown;
}
interface Compose {
  services: Record<string, ComposeService>;
}

/** Compose's ${NAME:?message} and ${NAME} interpolation, from a given environment. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::\?[^}]*)?\}/g, (_m, name: string) => {
    if (env[name] === undefined) throw new Error(`compose needs ${name}`);
    return env[name];
  });
}

/** The ENV the Dockerfile's final stage sets (KEY=VALUE pairs, continued lines joined). */
function imageEnv(): Record<string, string> {
  const finalStage = read('Dockerfile').split(/^FROM /m).pop()!;
  const joined = finalStage.replace(/\\\n/g, ' ');
  const env: Record<string, string> = {};
  for (const line of joined.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, k, v] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  }
  return env;
}

const compose = () => parseYaml(read('docker-compose.yml'), { merge: true }) as Compose;
const composeSecrets = { POSTGRES_PASSWORD: 'pw-for-the-test', GATEWAY_SECRET_KEY: 'ab'.repeat(32) };

describe('config/production.example.json', () => {
  test('is a valid configuration for the gateway, with a route table and its proxy settings', () => {
    const config = loadConfig({ configFile: file('config', 'production.example.json'), env: {} });
    expect(config.routes.length).toBeGreaterThanOrEqual(3);
    expect(config.server.publicUrl).toMatch(/^https:\/\//);
    expect(config.server.trustedProxies.length).toBeGreaterThan(0);
    expect(config.demo).toBe(false);
    expect(new Set(config.routes.flatMap((r) => r.accept))).toEqual(new Set(['oauth1', 'oauth2', 'oauth1-2legged', 'public']));
  });
});

describe('docker-compose.yml', () => {
  test('runs two gateway nodes, PostgreSQL, Redis, a migration step and nginx terminating TLS', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual(['gateway-1', 'gateway-2', 'migrate', 'nginx', 'postgres', 'redis']);
    expect(services['gateway-1'].command).toEqual(['--config', '/etc/oauth-gateway/config.json', 'serve']);
    expect(services.migrate.command).toEqual(['--config', '/etc/oauth-gateway/config.json', 'migrate']);
    expect(services['gateway-1'].depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' } });
    expect(services.nginx.ports).toContain('8443:443');
    expect(services.nginx.volumes).toContain('./deploy/nginx/oauth-gateway.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  test.each(['gateway-1', 'gateway-2', 'migrate'])('%s loads a valid configuration: the mounted file, the image env and its own env, as the gateway reads them', (name) => {
    const service = compose().services[name];
    const env = { ...imageEnv(), ...Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), composeSecrets)])) };
    const mounted = service.volumes!.find((v) => v.endsWith(':/etc/oauth-gateway/config.json:ro'))!.split(':')[0];
    const config = loadConfig({ configFile: file(mounted), env });
    expect(config.database.url).toBe('postgres://gateway:pw-for-the-test@postgres:5432/gateway');
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.dataDir).toBe('/data');
    expect(config.server.host).toBe('0.0.0.0');
    // The nodes believe forwarded headers from nginx alone, and sign against the URL nginx serves.
    const nginx = compose().services.nginx.networks as Record<string, { ipv4_address: string }>;
    expect(config.server.trustedProxies).toEqual([nginx.gateway.ipv4_address]);
    expect(config.server.publicUrl).toBe('https://localhost:8443');
  });

  test('nginx sends to both nodes with the forwarded headers the gateway reads', () => {
    const conf = read('deploy', 'nginx', 'oauth-gateway.conf');
    const servers = [...conf.matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(servers).toEqual(['gateway-1:8080', 'gateway-2:8080']);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-Host \$http_host;/);
    expect(conf).toMatch(/ssl_certificate\s+\/etc\/nginx\/certs\/gateway\.crt;/);
  });

  (dockerCompose ? test : test.skip)('docker compose config accepts the file', () => {
    const r = spawnSync('docker', ['compose', '-f', file('docker-compose.yml'), 'config', '--quiet'], { env: { ...process.env, ...composeSecrets }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('deploy/caddy/Caddyfile', () => {
  test('proxies to the nodes with health checks on /readyz and names the gateway settings to match', () => {
    const caddy = read('deploy', 'caddy', 'Caddyfile');
    expect(caddy).toMatch(/reverse_proxy [\d.]+:8080 [\d.]+:8080 \{/);
    expect(caddy).toContain('health_uri /readyz');
    expect(caddy).toContain('"trustedProxies"');
    expect(caddy).toContain('"publicUrl": "https://api.example.com"');
  });
});

describe('deploy/systemd/oauth-gateway.service', () => {
  const unit = () => read('deploy', 'systemd', 'oauth-gateway.service');

  test('is hardened: no new privileges, a read-only system, no capabilities, writes only its state directory', () => {
    const keys = new Map([...unit().matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(keys.get('NoNewPrivileges')).toBe('yes');
    expect(keys.get('ProtectSystem')).toBe('strict');
    expect(keys.get('ProtectHome')).toBe('yes');
    expect(keys.get('PrivateTmp')).toBe('yes');
    expect(keys.get('CapabilityBoundingSet')).toBe('');
    expect(keys.get('StateDirectory')).toBe('oauth-gateway');
    expect(keys.get('User')).toBe('oauth-gateway');
    expect(keys.get('ExecStart')).toMatch(/bin\/oauth-gateway\.js --config \S+ serve$/);
    expect(keys.get('KillSignal')).toBe('SIGTERM');
  });

  (systemdAnalyze ? test : test.skip)('systemd-analyze verify knows every key', () => {
    const r = spawnSync('systemd-analyze', ['verify', file('deploy', 'systemd', 'oauth-gateway.service')], { encoding: 'utf8' });
    // A machine without node at /usr/bin/node may say so; an unknown key or section is a mistake in the file.
    const problems = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/is not executable/.test(l));
    expect(problems).toEqual([]);
  });
});

describe('Dockerfile', () => {
  test('builds in two stages from node:20-bookworm-slim and runs as a non-root user with a data volume and a health check', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM node:20-bookworm-slim/gm)).toHaveLength(2);
    const finalStage = dockerfile.split(/^FROM /m).pop()!;
    expect(finalStage).toContain('npm ci --omit=dev');
    expect(finalStage).toMatch(/^USER gateway$/m);
    expect(finalStage).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(finalStage).toMatch(/^HEALTHCHECK .*\n.*\/healthz/m);
    expect(read('.dockerignore')).toMatch(/^node_modules$/m);
  });

  (dockerDaemon ? test : test.skip)('the image builds, starts as a non-root user and answers /healthz', async () => {
    const tag = `oauth-gateway-test:${process.pid}`;
    const build = spawnSync('docker', ['build', '-t', tag, repoRoot], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(build.status).toBe(0);
    const run = spawnSync('docker', ['run', '-d', '--rm', '-p', '127.0.0.1::8080', tag, 'serve', '--json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const container = run.stdout.trim();
    try {
      // The summary line says it listens (docker logs -f follows it as it is written).
      await new Promise<void>((resolve, reject) => {
        const logs = spawn('docker', ['logs', '-f', container]);
        let out = '';
        logs.stdout.on('data', (d) => {
          out += d.toString();
          if (out.split('\n').some((l) => l.startsWith('{"url"'))) {
            logs.kill();
            resolve();
          }
        });
        logs.on('exit', () => reject(new Error(`the container stopped before listening: ${out}`)));
      });
      const port = spawnSync('docker', ['port', container, '8080/tcp'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      const health = await fetch(`http://${port}/healthz`);
      expect(health.status).toBe(200);
      const uid = spawnSync('docker', ['exec', container, 'id', '-u'], { encoding: 'utf8' }).stdout.trim();
      expect(uid).not.toBe('0');
    } finally {
      spawnSync('docker', ['rm', '-f', container]);
      spawnSync('docker', ['rmi', '-f', tag]);
    }
  });
});
