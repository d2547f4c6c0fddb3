import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The Lua scripts the Redis cache runs. Each is sent by digest (EVALSHA) and, when the server's
 * script cache does not know it (a restart, SCRIPT FLUSH), once in full (EVAL).
 */

export interface Script {
  text: string;
  sha: string;
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

// The TTL starts with the first increment of a window; later increments keep it (rate limits).
// PTTL == -1 also repairs a counter that somehow lost its expiry. Lua rather than EXPIRE NX: Redis 6 too.
export const INCREMENT = script(`
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`);

// One attempt on every counter KEYS[i] (limit ARGV[i + 1]) within ARGV[1] milliseconds, all or none.
// When a counter already holds its limit nothing is counted and the answer is the longest PTTL among
// the full ones (a full counter without an expiry, only possible by hand, gets the window); -1 means counted.
export const COUNT_ATTEMPT = script(`
local wait = -1
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', key)
    if ttl < 0 then
      redis.call('PEXPIRE', key, ARGV[1])
      ttl = tonumber(ARGV[1])
    end
    if ttl > wait then wait = ttl end
  end
end
if wait >= 0 then return wait end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  if redis.call('PTTL', key) == -1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return -1`);

// DECR would create a missing key at -1 with no expiry: only an existing counter is taken down, and
// one that reaches zero is deleted. DECR keeps the key's TTL.
export const DECREMENT = script(`
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count <= 1 then
  redis.call('DEL', KEYS[1])
  return 0
end
return redis.call('DECR', KEYS[1])`);

// Many SET NX PX in one command: KEYS[i] gets ARGV[2i-1] for ARGV[2i] milliseconds unless it exists.
// The answer is 1 for each key this call created and 0 for each that was already there, in order,
// so a key named twice in one batch is won by its first claim only.
export const CLAIM = script(`
local created = {}
for i, key in ipairs(KEYS) do
  created[i] = redis.call('SET', key, ARGV[2 * i - 1], 'PX', ARGV[2 * i], 'NX') and 1 or 0
end
return created`);

export async function runScript(redis: Redis, which: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(which.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return redis.eval(which.text, keys.length, ...keys, ...args);
  }
}
