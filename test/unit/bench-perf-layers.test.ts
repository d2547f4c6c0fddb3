import { LAYERS, layerCounts, layerOf, parsePerfScript } from '../../bench/perf-layers';

// `BENCH_CPU_PERF=1 npm run bench:cpu` reads `perf script` output and puts each sample in one layer.
// The samples below are cut from a real recording of the gateway (node 20, --perf-basic-prof).

const root = '/work/main/dist/src/';
const sample = (comm: string, frames: string[]) =>
  `${comm} 12424  1656.067697:     500250 cpu-clock:ppp: \n${frames.map((f) => `\t    7f86c722248a ${f}`).join('\n')}\n\n`;

const script = [
  // In the kernel (the client's writev), called from the gateway's upstream exchange.
  sample('node', [
    'tcp_sendmsg_locked+0x12 ([kernel.kallsyms])',
    'entry_SYSCALL_64_after_hwframe+0x76 ([kernel.kallsyms])',
    '__GI___writev+0x1b (/usr/lib/x86_64-linux-gnu/libc.so.6)',
    `JS:*onComplete ${root}gateway/upstream-exchange.js:74:14+0x22 (/tmp/perf-12424.map)`,
  ]),
  // The collector's helper thread: no JavaScript at all.
  sample('V8 Worker', ['v8::internal::ConcurrentMarking::RunMajor+0x4d1 (/usr/bin/node)', 'start_thread+0x2f2 (/usr/lib/x86_64-linux-gnu/libc.so.6)']),
  // OpenSSL under the OAuth 1.0a signature check, below the gateway's router.
  sample('node', [
    'EVP_Digest+0x10d (/usr/bin/node)',
    'node::crypto::Hash::OneShotDigest+0x719 (/usr/bin/node)',
    `JS:*sign ${root}oauth1/signature.js:41:14+0x64a (/tmp/perf-12424.map)`,
    `JS:*forward ${root}gateway/router.js:30:23+0x526 (/tmp/perf-12424.map)`,
  ]),
  // undici's parser with the gateway's handler inside it: the gateway's frame decides.
  sample('node', [
    'Builtins_KeyedStoreIC_Megamorphic+0x1 (/usr/bin/node)',
    'JS:*parseHeaders /work/main/node_modules/undici/lib/core/util.js:436:23+0x62e (/tmp/perf-12424.map)',
    `JS:*onHeaders ${root}gateway/upstream-exchange.js:57:14+0x319 (/tmp/perf-12424.map)`,
    'JS:*onHeadersComplete /work/main/node_modules/undici/lib/dispatcher/client-h1.js:581:21+0xe23 (/tmp/perf-12424.map)',
  ]),
  // writeClientHead is in proxy.js but writes the response head.
  sample('node', [`JS:*writeClientHead ${root}gateway/proxy.js:122:25+0x10 (/tmp/perf-12424.map)`, `JS:*onHeaders ${root}gateway/upstream-exchange.js:57:14+0x319 (/tmp/perf-12424.map)`]),
  sample('node', [`JS:*proxyRequest ${root}gateway/proxy.js:66:28+0x10 (/tmp/perf-12424.map)`]),
  sample('node', [`JS:*leanFields ${root}gateway/access-log.js:49:20+0x253 (/tmp/perf-12424.map)`, `JS:*forward ${root}gateway/router.js:30:23+0x526 (/tmp/perf-12424.map)`]),
  sample('node', [`JS:*timed ${root}cache/timed.js:39:16+0x1 (/tmp/perf-12424.map)`]),
  sample('node', [`JS:*gatewayEntry ${root}gateway/entry.js:66:33+0x1 (/tmp/perf-12424.map)`]),
  // Libraries and node on their own.
  sample('node', ['JS:*_resume /work/main/node_modules/undici/lib/dispatcher/client.js:589:18+0x297 (/tmp/perf-12424.map)']),
  sample('node', ['JS:*returnReply /work/main/node_modules/ioredis/built/DataHandler.js:40:16+0x1 (/tmp/perf-12424.map)']),
  sample('node', [
    'non-virtual thunk to node::(anonymous namespace)::Parser::OnStreamRead(long, uv_buf_t const&)+0x117 (/usr/bin/node)',
    'uv__read+0x2f5 (/usr/bin/node)',
  ]),
].join('');

test('perf script output: one sample per header, frames innermost first, symbols without offsets', () => {
  const samples = parsePerfScript(script);
  expect(samples).toHaveLength(12);
  expect(samples[0].frames[0]).toEqual({ symbol: 'tcp_sendmsg_locked', object: '[kernel.kallsyms]' });
  expect(samples[2].frames[2]).toEqual({ symbol: `JS:*sign ${root}oauth1/signature.js:41:14`, object: '/tmp/perf-12424.map' });
  expect(samples[11].frames[0].symbol).toBe('non-virtual thunk to node::(anonymous namespace)::Parser::OnStreamRead(long, uv_buf_t const&)');
});

test('each sample lands in the layer of the kernel, the collector, the innermost project frame, or the library', () => {
  const layers = parsePerfScript(script).map((s) => layerOf(s, root));
  expect(layers).toEqual([
    'kernel: system calls, loopback TCP',
    'garbage collection',
    'gateway: OAuth 1.0a parsing and signature',
    'gateway: response head (fields, writeHead)',
    'gateway: response head (fields, writeHead)',
    'gateway: upstream request (fields, dispatch)',
    'gateway: access log',
    'gateway: shared cache (nonces)',
    'gateway: entry, routes, credentials, metrics',
    'undici: upstream connection and parser',
    'ioredis: replies',
    'node: HTTP server, streams, timers, promises',
  ]);
});

test('counts cover every layer, and another checkout\'s frames are not this one\'s', () => {
  const samples = parsePerfScript(script);
  const counts = layerCounts(samples, root);
  expect([...counts.keys()]).toEqual([...LAYERS]);
  expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(12);
  expect(counts.get('gateway: response head (fields, writeHead)')).toBe(2);
  // Seen from a checkout at another path, the same frames are nobody's own code.
  const elsewhere = layerCounts(samples, '/tmp/perf-before/dist/src/');
  expect(elsewhere.get('gateway: access log')).toBe(0);
  expect(elsewhere.get('node: HTTP server, streams, timers, promises')).toBeGreaterThan(counts.get('node: HTTP server, streams, timers, promises')!);
});
