import { ConfigError } from './errors';

type Parse = (raw: string, name: string) => unknown;

const text: Parse = (raw) => raw;
// An empty value clears a setting (for example GATEWAY_REDIS_URL= selects the in-memory cache).
const nullableText: Parse = (raw) => (raw.trim() === '' ? null : raw.trim());
const integer: Parse = (raw, name) => {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  return Number(raw.trim());
};
const decimal: Parse = (raw, name) => {
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(name, `must be a number such as 0.25, got "${raw}"`);
  return Number(raw.trim());
};
const boolean: Parse = (raw, name) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
};
// A password is taken as it is (spaces count); only an empty value clears it.
const secret: Parse = (raw) => (raw === '' ? null : raw);
const workers: Parse = (raw, name) => (raw.trim() === 'auto' ? 'auto' : integer(raw, name));
const list: Parse = (raw) =>
  raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Environment variables and the config keys they override. */
export const environmentOverrides: ReadonlyArray<{ name: string; path: string[]; parse: Parse }> = [
  { name: 'GATEWAY_PORT', path: ['server', 'port'], parse: integer },
  { name: 'GATEWAY_HOST', path: ['server', 'host'], parse: text },
  { name: 'GATEWAY_PUBLIC_URL', path: ['server', 'publicUrl'], parse: nullableText },
  { name: 'GATEWAY_WORKERS', path: ['server', 'workers'], parse: workers },
  { name: 'GATEWAY_TRUSTED_PROXIES', path: ['server', 'trustedProxies'], parse: list },
  { name: 'GATEWAY_DATA_DIR', path: ['dataDir'], parse: text },
  { name: 'GATEWAY_DATABASE_URL', path: ['database', 'url'], parse: nullableText },
  { name: 'GATEWAY_REDIS_URL', path: ['redis', 'url'], parse: nullableText },
  { name: 'GATEWAY_CACHE_MEMORY_MAX_BYTES', path: ['cache', 'memoryMaxBytes'], parse: integer },
  { name: 'GATEWAY_UPSTREAM', path: ['upstream'], parse: nullableText },
  { name: 'GATEWAY_SECRET_KEY', path: ['secretKey'], parse: nullableText },
  { name: 'GATEWAY_LOG_LEVEL', path: ['log', 'level'], parse: text },
  { name: 'GATEWAY_API_LOGGING', path: ['log', 'api'], parse: text },
  { name: 'GATEWAY_LOG_FORMAT', path: ['log', 'format'], parse: text },
  { name: 'GATEWAY_TRACING_ENABLED', path: ['tracing', 'enabled'], parse: boolean },
  { name: 'GATEWAY_TRACING_ENDPOINT', path: ['tracing', 'endpoint'], parse: text },
  { name: 'GATEWAY_TRACING_SERVICE_NAME', path: ['tracing', 'serviceName'], parse: text },
  { name: 'GATEWAY_TRACING_SAMPLE_RATIO', path: ['tracing', 'sampleRatio'], parse: decimal },
  { name: 'GATEWAY_DEMO', path: ['demo'], parse: boolean },
  { name: 'GATEWAY_CORS_ORIGINS', path: ['cors', 'allowedOrigins'], parse: list },
  { name: 'GATEWAY_METRICS_TOKEN', path: ['metrics', 'token'], parse: nullableText },
  { name: 'GATEWAY_ADMIN_LISTEN', path: ['admin', 'listen'], parse: nullableText },
  { name: 'GATEWAY_OAUTH1_PLAINTEXT_OVER_HTTP', path: ['oauth1', 'plaintextOverHttp'], parse: boolean },
  { name: 'GATEWAY_LDAP_BIND_PASSWORD', path: ['ldap', 'bindPassword'], parse: secret },
];

/** Applies the environment to a raw config object; returns which config paths came from which variable. */
export function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const sources = new Map<string, string>();
  for (const { name, path, parse } of environmentOverrides) {
    const value = env[name];
    if (value === undefined) continue;
    let node = raw;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]] = parse(value, name);
    sources.set(path.join('.'), name);
  }
  return sources;
}
