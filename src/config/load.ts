import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { configSchema, type GatewayConfig } from './schema';
import { ConfigError } from './errors';
import { applyEnvironment } from './env';
import { deepFreeze } from './freeze';

function readJson(file: string, key: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(key, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(key, `${file} is not a JSON object (${(err as Error).message})`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars from the override replace the base. */
export function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = isPlainObject(value) && isPlainObject(base[key]) ? deepMerge(base[key] as Record<string, unknown>, value) : value;
  }
  return out;
}

export interface LoadOptions {
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  /** Last-word overrides from the command line or a test. */
  overrides?: Record<string, unknown>;
  /** Where a relative dataDir is resolved from (the working directory by default). */
  cwd?: string;
}

/** The first problem as one line: the key (and the variable it came from), then what is wrong with it. */
function configError(issue: z.core.$ZodIssue, sources: Map<string, string>): ConfigError {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => [...issue.path, k].join('.'));
    return new ConfigError(keys.join(', '), keys.length > 1 ? 'unknown keys' : 'unknown key');
  }
  const key = issue.path.join('.') || '(root)';
  const from = sources.get(key);
  return new ConfigError(from ? `${key} (${from})` : key, issue.message);
}

/**
 * --config FILE, then GATEWAY_* variables, then overrides, validated as a whole; every key left out
 * takes its default from the schema. The result is frozen: derive a new object to change it.
 */
export function loadConfig(options: LoadOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  let raw = options.configFile ? readJson(options.configFile, '--config') : {};
  const sources = applyEnvironment(raw, env);
  if (options.overrides) raw = deepMerge(raw, options.overrides);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw configError(parsed.error.issues[0], sources);
  const cwd = options.cwd ?? process.cwd();
  const { branding } = parsed.data;
  return deepFreeze({
    ...parsed.data,
    dataDir: path.resolve(cwd, parsed.data.dataDir),
    branding: { ...branding, logoFile: branding.logoFile === null ? null : path.resolve(cwd, branding.logoFile) },
  });
}
