import type { TestGateway } from './gateway';

/**
 * One series of a counter in the gateway's own registry (0 while nothing was counted on it). A test
 * reads it before and after what it does, so it counts its own requests whatever ran before it.
 */
export async function counterValue(gw: Pick<TestGateway, 'deps'>, name: string, labels: Record<string, string>): Promise<number> {
  const metric = gw.deps.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric named ${name}`);
  const series = (await metric.get()).values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return series?.value ?? 0;
}
