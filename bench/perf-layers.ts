// Where a server's CPU goes, by layer, from Linux perf samples (`perf record -g` on the process, node
// started with --perf-basic-prof so JIT frames have names, then `perf script`). perf's cpu-clock
// samples count only time on a CPU: unlike V8's own profiler (--cpu-prof), whose sampling thread also
// lands on a thread that was preempted while another process ran, which on a machine whose cores the
// load generator shares made the socket writes look like a quarter of all time. Used by
// `BENCH_CPU_PERF=1 npm run bench:cpu` (README "Where a proxied request's CPU goes").

/** One sample: its frames, innermost first, each a symbol and the object it is in. */
export interface PerfSample {
  frames: Array<{ symbol: string; object: string }>;
}

// "    7f12 Builtins_LoadIC+0x1a (/usr/bin/node)" or "    7f12 JS:*onHeaders /x/y.js:57:14+0x319 (/tmp/perf-1.map)"
const frameLine = /^\s*[0-9a-f]+\s+(.*?)(?:\+0x[0-9a-f]+)?\s+\((.*)\)\s*$/;

/** `perf script` output (default fields, call chains) as samples; lines it cannot read are skipped. */
export function parsePerfScript(text: string): PerfSample[] {
  const samples: PerfSample[] = [];
  let current: PerfSample | null = null;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current && current.frames.length > 0) samples.push(current);
      current = null;
      continue;
    }
    if (!/^\s/.test(line)) {
      // A sample's header: "node 1234 5678.9: 500500 cpu-clock:ppp:".
      if (current && current.frames.length > 0) samples.push(current);
      current = { frames: [] };
      continue;
    }
    const m = frameLine.exec(line);
    if (current && m) current.frames.push({ symbol: m[1], object: m[2] });
  }
  if (current && current.frames.length > 0) samples.push(current);
  return samples;
}

export const LAYERS = [
  'kernel: system calls, loopback TCP',
  'garbage collection',
  'gateway: access log',
  'gateway: OAuth 1.0a parsing and signature',
  'gateway: shared cache (nonces)',
  'gateway: upstream request (fields, dispatch)',
  'gateway: response head (fields, writeHead)',
  'gateway: entry, routes, credentials, metrics',
  'undici: upstream connection and parser',
  'ioredis: replies',
  'node: HTTP server, streams, timers, promises',
] as const;
export type Layer = (typeof LAYERS)[number];

const garbageCollection = /Scavenge|MarkCompact|ConcurrentMarking|MarkingVisitor|Sweeper|GCTracer|Heap::CollectGarbage/;

/** The innermost frame of the project's own code (its compiled dist/src), by file and function. */
function projectLayer(symbol: string): Layer {
  if (/\/src\/(gateway\/access-log|http\/batched-lines|http\/logger)\.js/.test(symbol)) return 'gateway: access log';
  if (/\/src\/oauth1\//.test(symbol)) return 'gateway: OAuth 1.0a parsing and signature';
  if (/\/src\/cache\//.test(symbol)) return 'gateway: shared cache (nonces)';
  if (/\/src\/gateway\/upstream-exchange\.js/.test(symbol) || /(writeClientHead|responseHeaders) .*\/src\/gateway\/proxy\.js/.test(symbol)) return 'gateway: response head (fields, writeHead)';
  if (/\/src\/gateway\/(proxy|upstream-request|headers|forwarded|identity-headers|request-body|cookies)\.js/.test(symbol)) return 'gateway: upstream request (fields, dispatch)';
  return 'gateway: entry, routes, credentials, metrics';
}

/**
 * The layer a sample's time belongs to: the kernel when it was in the kernel; the collector when a
 * collector frame is on the stack (its helper threads included); else the innermost frame of the
 * project's code (what the gateway itself asked for, down to node's and the libraries' work on its
 * behalf); else the library whose frames are there; else node's own machinery.
 */
export function layerOf(sample: PerfSample, projectPath = '/dist/src/'): Layer {
  // projectPath: the compiled sources' directory as frames name it (bench:cpu passes the checkout's own).
  const { frames } = sample;
  if (frames[0].object.includes('kernel')) return 'kernel: system calls, loopback TCP';
  if (frames.some((f) => garbageCollection.test(f.symbol))) return 'garbage collection';
  const own = frames.find((f) => f.symbol.includes(projectPath));
  if (own) return projectLayer(own.symbol);
  if (frames.some((f) => f.symbol.includes('/node_modules/undici/'))) return 'undici: upstream connection and parser';
  if (frames.some((f) => f.symbol.includes('/node_modules/ioredis/'))) return 'ioredis: replies';
  return 'node: HTTP server, streams, timers, promises';
}

/** Samples per layer, every layer present (0 when none); `projectPath` as in layerOf. */
export function layerCounts(samples: readonly PerfSample[], projectPath?: string): Map<Layer, number> {
  const counts = new Map<Layer, number>(LAYERS.map((l) => [l, 0]));
  for (const s of samples) {
    const layer = layerOf(s, projectPath);
    counts.set(layer, counts.get(layer)! + 1);
  }
  return counts;
}
