import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Metrics } from '../../src/http/metrics';
import { projectRoot } from '../../src/paths';

// ops/prometheus/alerts.yml and ops/grafana/oauth-gateway.json are built on the gateway's metrics:
// without promtool here, each file is parsed and every expression checked to name only metrics the
// gateway exports, with labels they carry, in balanced brackets.

const metrics = new Metrics();
metrics.watchDependencies(() => true);

// Labels Prometheus adds to every series it scrapes, and the bucket bound of histograms.
const scrapeLabels = ['instance', 'job', 'le'];

/** The exported metric a series name belongs to (a histogram's _bucket, _count and _sum are its own). */
function exportedMetric(series: string): { labelNames: readonly string[] } | null {
  for (const name of [series, series.replace(/_(bucket|count|sum)$/, '')]) {
    const metric = metrics.registry.getSingleMetric(name) as unknown as { labelNames?: readonly string[] } | undefined;
    if (metric) return { labelNames: metric.labelNames ?? [] };
  }
  return null;
}

/** What is wrong with one PromQL expression (empty: nothing found). */
function problemsOf(expr: string): string[] {
  const problems: string[] = [];
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: string[] = [];
  for (const c of expr.replace(/"[^"]*"/g, '""')) {
    if ('({['.includes(c)) stack.push(c);
    else if (c in pairs && stack.pop() !== pairs[c]) problems.push(`unbalanced ${c}`);
  }
  if (stack.length) problems.push(`unclosed ${stack.join('')}`);
  const series = [...expr.matchAll(/\b(gateway_[a-z_]+)\s*(\{([^}]*)\})?/g)];
  if (series.length === 0) problems.push('names no gateway metric');
  for (const [, name, , selector] of series) {
    const metric = exportedMetric(name);
    if (!metric) {
      problems.push(`${name} is not exported`);
      continue;
    }
    for (const [, label] of (selector ?? '').matchAll(/(\w+)\s*(?:=~|!~|!=|=)/g)) {
      if (!metric.labelNames.includes(label) && !scrapeLabels.includes(label)) problems.push(`${name} has no label ${label}`);
    }
  }
  return problems;
}

describe('ops/prometheus/alerts.yml', () => {
  const file = parse(fs.readFileSync(path.join(projectRoot, 'ops', 'prometheus', 'alerts.yml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for?: string; labels: Record<string, string>; annotations: Record<string, string> }> }>;
  };
  const rules = file.groups.flatMap((g) => g.rules);

  test('is a rule file: groups with named rules, each with an expression, a severity and a summary', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(typeof rule.expr).toBe('string');
      expect(['page', 'warn']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test('alerts on the error ratio, upstream errors, Redis down and lock-out spikes', () => {
    const named = (metric: string) => rules.some((r) => r.expr.includes(metric));
    expect(named('gateway_endpoint_requests_total{status=~"5.."}')).toBe(true);
    expect(named('gateway_upstream_errors_total')).toBe(true);
    expect(named('gateway_dependency_up{dependency="cache"}')).toBe(true);
    expect(named('gateway_lockouts_total')).toBe(true);
  });

  test.each(rules.map((r) => [r.alert, r.expr]))('%s names only exported metrics and their labels', (_alert, expr) => {
    expect(problemsOf(expr)).toEqual([]);
  });
});

describe('ops/grafana/oauth-gateway.json', () => {
  const dashboard = JSON.parse(fs.readFileSync(path.join(projectRoot, 'ops', 'grafana', 'oauth-gateway.json'), 'utf8')) as {
    uid: string;
    panels: Array<{ id: number; title: string; targets: Array<{ expr: string }> }>;
  };
  const targets = dashboard.panels.flatMap((p) => p.targets.map((t) => [p.title, t.expr] as const));

  test('is a dashboard with unique panel ids, each panel with a query', () => {
    expect(dashboard.uid).toBe('oauth-gateway');
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });

  test.each(targets)('panel "%s" names only exported metrics and their labels', (_title, expr) => {
    expect(problemsOf(expr)).toEqual([]);
  });

  test('every metric the gateway exports under gateway_ is on the dashboard (issuer metrics aside)', async () => {
    const exported = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.startsWith('gateway_') && !n.startsWith('gateway_issuer_'));
    const shown = targets.map(([, expr]) => expr).join('\n');
    expect(exported.filter((name) => !shown.includes(name))).toEqual([]);
  });
});

test('the checker itself refuses a metric the gateway does not export, an unknown label and unbalanced brackets', () => {
  expect(problemsOf('rate(gateway_nonexistent_total[5m])')).toEqual(['gateway_nonexistent_total is not exported']);
  expect(problemsOf('gateway_lockouts_total{route="/api"}')).toEqual(['gateway_lockouts_total has no label route']);
  expect(problemsOf('sum(rate(gateway_lockouts_total[5m])')).toEqual(['unclosed (']);
});
