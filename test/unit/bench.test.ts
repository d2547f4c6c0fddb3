import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { goals } from '../../bench/goals';
import { roundOrder } from '../../bench/measure';
import { requestAuthorizer } from '../../bench/oauth1';
import { medianSample, summarize, withRatios, type Row, type Sample } from '../../bench/rows';
import { readSettings } from '../../bench/settings';
import { ratioChart } from '../../bench/svg';
import { textTable } from '../../bench/table';
import { parseWrkOutput } from '../../bench/wrk-output';
import { luaString, RESULT_MARKER, wrkScript } from '../../bench/wrk-script';

// The pure parts of `npm run bench`: what it tells wrk, how it reads wrk, and how it turns runs into
// the table, the targets and the chart. (The load itself is `npm run bench`'s business, not a test's.)

const doneLine = (fields: Partial<Record<string, number>> = {}) =>
  RESULT_MARKER +
  JSON.stringify({ requests: 96000, durationUs: 8_000_000, bytes: 1, connectErrors: 0, readErrors: 0, writeErrors: 0, statusErrors: 0, timeouts: 0, latencyP50Us: 1234, latencyP99Us: 5678, latencyMaxUs: 20000, ...fields });

describe('wrk output', () => {
  test('reads the done() line among wrk\'s own text', () => {
    const stdout = `Running 8s test @ http://127.0.0.1:1234\n  1 threads and 32 connections\n${doneLine()}\nRequests/sec:  12000.00\n`;
    expect(parseWrkOutput(stdout)).toEqual({ requests: 96000, requestsPerSecond: 12000, p50Ms: 1.23, p99Ms: 5.68, maxMs: 20, socketErrors: 0, httpErrors: 0 });
  });

  test('adds up socket errors and timeouts, and keeps answers >= 400 apart', () => {
    const result = parseWrkOutput(doneLine({ connectErrors: 1, readErrors: 2, writeErrors: 3, timeouts: 4, statusErrors: 5 }));
    expect(result.socketErrors).toBe(10);
    expect(result.httpErrors).toBe(5);
  });

  test('without a result line it throws with what wrk printed', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/no result line.*Connection refused/);
  });
});

describe('wrk script', () => {
  test('Lua strings escape quotes, backslashes and control characters', () => {
    expect(luaString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\010d"');
  });

  test('sets the method, path, body and headers of the request', () => {
    const script = wrkScript({ request: { method: 'POST', path: '/oauth2/token', headers: { Authorization: 'Basic eA==' }, body: 'grant_type=client_credentials' }, threads: 1 });
    expect(script).toContain('wrk.method = "POST"');
    expect(script).toContain('wrk.path = "/oauth2/token"');
    expect(script).toContain('wrk.body = "grant_type=client_credentials"');
    expect(script).toContain('wrk.headers["Authorization"] = "Basic eA=="');
    expect(script).toContain('function done(summary, latency, requests)');
    expect(script).not.toContain('function request()');
  });

  test('with a file of signed headers, each thread takes every n-th line and sends one per request', () => {
    const script = wrkScript({ request: { method: 'GET', path: '/api/posts', headers: {} }, authorizationFile: '/tmp/x/oauth1.authorizations', threads: 2 });
    expect(script).toContain('io.lines("/tmp/x/oauth1.authorizations")');
    expect(script).toContain('line_number % 2 == thread_index');
    expect(script).toContain('wrk.headers["Authorization"] = authorizations[next_authorization]');
  });
});

describe('pre-signed OAuth 1.0a headers', () => {
  test('are what the oauth-1.0a library signs for the same nonce and timestamp', () => {
    const credentials = { consumer: { key: 'ck+1', secret: 'cs&2' }, token: { key: 'tk=3', secret: 'ts 4' } };
    const url = 'http://127.0.0.1:8080/api/posts';
    const library = new OAuth({ consumer: credentials.consumer, signature_method: 'HMAC-SHA1', hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64') });
    library.getNonce = () => 'abc123';
    library.getTimeStamp = () => 1_700_000_000;
    const expected = library.toHeader(library.authorize({ url, method: 'GET' }, credentials.token)).Authorization;
    expect(requestAuthorizer('GET', url, credentials)('abc123', 1_700_000_000)).toBe(expected);
  });
});

const sample = (rps: number, p99Ms = 5, peak = 100): Sample => ({
  result: { requests: rps * 8, requestsPerSecond: rps, p50Ms: 1, p99Ms, maxMs: 50, socketErrors: 0, httpErrors: 0 },
  peaks: [{ pid: 1, role: 'server', peakRssMB: peak }],
});

describe('rows', () => {
  test('the median round speaks for a target (the lower middle for an even count)', () => {
    expect(medianSample([sample(30), sample(10), sample(20)]).result.requestsPerSecond).toBe(20);
    expect(medianSample([sample(40), sample(10), sample(30), sample(20)]).result.requestsPerSecond).toBe(20);
  });

  test('a row keeps the median round\'s latency, every round\'s rate and the highest peak', () => {
    const row = summarize('bearer', 'bearer', [sample(30, 9, 120), sample(10, 7, 150), sample(20, 8, 110)]);
    expect(row).toMatchObject({ requestsPerSecond: 20, p99Ms: 8, rounds: [30, 10, 20], peakRssMB: 150 });
  });

  test('with workers, the peak is the largest worker\'s, not the primary\'s', () => {
    const peaks = [
      { pid: 1, role: 'primary' as const, peakRssMB: 300 },
      { pid: 2, role: 'worker' as const, peakRssMB: 120 },
      { pid: 3, role: 'worker' as const, peakRssMB: 130 },
    ];
    expect(summarize('bearer-2-workers', 'w', [{ ...sample(10), peaks }]).peakRssMB).toBe(130);
  });

  test('ratios are to the lean baseline, to two decimals', () => {
    const rows = withRatios([summarize('baseline', 'b', [sample(3000)]), summarize('public', 'p', [sample(2000)])]);
    expect(rows.map((r) => r.ratio)).toEqual([1, 0.67]);
  });
});

describe('targets and output', () => {
  const rows = (): Row[] =>
    withRatios([
      summarize('baseline', 'lean baseline', [sample(10_000, 4)]),
      summarize('public', 'public route', [sample(9_000, 6)]),
      summarize('bearer', 'bearer route', [sample(7_000, 9, 210)]),
      summarize('bearer-2-workers', 'bearer route, 2 workers', [sample(10_500)]),
      { ...summarize('token-postgres', 'token PostgreSQL', [sample(1)]), unavailable: 'PostgreSQL at 127.0.0.1:5432: refused', requestsPerSecond: null, ratio: null },
    ]);

  test('each target is met, missed, or n/a when the run has no figure for it', () => {
    const byName = Object.fromEntries(goals(rows()).map((g) => [g.name, g]));
    expect(byName['public route / lean baseline']).toMatchObject({ value: 0.9, met: true });
    expect(byName['bearer route / lean baseline']).toMatchObject({ value: 0.7, met: false });
    expect(byName['bearer route, 2 workers / 1 worker']).toMatchObject({ value: 1.5, met: true });
    expect(byName['bearer route p99 / lean baseline p99']).toMatchObject({ value: 2.25, met: false });
    expect(byName['token endpoint, PostgreSQL / lean baseline']).toMatchObject({ value: null, met: null });
    expect(byName['gateway peak RSS under load, per worker (MB)']).toMatchObject({ value: 210, met: false });
  });

  test('the JWT route is held to the lean baseline, the warm introspection route to the bearer route', () => {
    const measured = withRatios([...rows(), summarize('jwt', 'JWT route', [sample(8_000)]), summarize('introspection', 'introspection route', [sample(6_000)])]);
    const byName = Object.fromEntries(goals(measured).map((g) => [g.name, g]));
    expect(byName['JWT route (external issuer) / lean baseline']).toMatchObject({ value: 0.8, met: true });
    expect(byName['introspection route (warm) / bearer route']).toMatchObject({ value: 0.86, met: false });
  });

  test('the table names an unavailable target with its reason and marks missed targets', () => {
    const text = textTable(rows(), goals(rows()));
    expect(text).toMatch(/token PostgreSQL\s+unavailable: PostgreSQL at 127.0.0.1:5432: refused/);
    expect(text).toMatch(/bearer route \/ lean baseline: 0.7 \(target >= 0.80\) MISSED/);
  });

  test('the chart has one bar per measured row, coloured by its target, and escapes labels', () => {
    const svg = ratioChart([...rows(), { ...summarize('koa', 'Koa <floor> & co', [sample(9_500)]), ratio: 0.95 }], 'ratios');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(5);
    expect(svg).toContain('fill="#2e7d32"'); // public met
    expect(svg).toContain('fill="#c62828"'); // bearer missed
    expect(svg).toContain('Koa &lt;floor&gt; &amp; co');
    expect(svg).toContain('>unavailable<');
  });
});

describe('settings', () => {
  test('the defaults are the issue\'s: wrk -t1 -c32 -d8s, 3 rounds, every target', () => {
    expect(readSettings({})).toMatchObject({ threads: 1, connections: 32, durationSeconds: 8, rounds: 3 });
    expect(readSettings({}).targets).toHaveLength(11);
  });

  test('a subset of targets keeps table order; an unknown one is refused by name', () => {
    expect(readSettings({ BENCH_TARGETS: 'oauth1, baseline' }).targets).toEqual(['baseline', 'oauth1']);
    expect(() => readSettings({ BENCH_TARGETS: 'baseline,bearr' })).toThrow(/BENCH_TARGETS: unknown bearr/);
    expect(() => readSettings({ BENCH_DURATION: '0' })).toThrow(/BENCH_DURATION/);
  });

  test('a pause of 1 s before each timed run unless BENCH_SETTLE says otherwise (0 for none)', () => {
    expect(readSettings({}).settleSeconds).toBe(1);
    expect(readSettings({ BENCH_SETTLE: '0' }).settleSeconds).toBe(0);
    expect(() => readSettings({ BENCH_SETTLE: '-1' })).toThrow(/BENCH_SETTLE/);
  });
});

describe('round order', () => {
  const targets = ['baseline', 'public', 'bearer', 'token-postgres', 'jwt'];
  const rounds = [1, 2, 3, 4, 5].map((r) => roundOrder(targets, r));

  test('every round runs every target once; the first round in table order', () => {
    for (const order of rounds) expect([...order].sort()).toEqual([...targets].sort());
    expect(rounds[0]).toEqual(targets);
  });

  test('from round to round, every target but the first changes place and follows another target', () => {
    const four = rounds.slice(0, 4);
    for (const target of targets.slice(1)) {
      const places = four.map((order) => order.indexOf(target));
      expect(new Set(places).size).toBe(4);
      const before = four.map((order) => order[(order.indexOf(target) + 4) % 5]);
      expect(new Set(before).size).toBe(4);
    }
    // The run after token-postgres (whose database still flushes and vacuums) is another target's each round.
    expect(new Set(four.map((order) => order[(order.indexOf('token-postgres') + 1) % 5])).size).toBe(4);
  });

  test('any number of targets: every round runs each once (11 targets; 6, where only steps 1 and 5 are coprime)', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => i);
    const six = Array.from({ length: 6 }, (_, i) => i);
    for (let round = 1; round <= 12; round++) {
      expect([...roundOrder(eleven, round)].sort((a, b) => a - b)).toEqual(eleven);
      expect([...roundOrder(six, round)].sort((a, b) => a - b)).toEqual(six);
    }
    expect(roundOrder(['only'], 3)).toEqual(['only']);
  });
});
