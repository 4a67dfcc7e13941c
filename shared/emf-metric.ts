import type { MetricName } from './metrics.ts';

/**
 * One business metric printed at once as a CloudWatch Embedded Metric Format line: the line
 * Powertools Metrics prints for one metric (./powertools-metrics.ts), field for field — namespace
 * `POWERTOOLS_METRICS_NAMESPACE`, the one dimension `service` — so that CloudWatch makes the same
 * metric of it and the alarms on it (infra/constructs/monitoring.ts) see no difference.
 *
 * For the HTTP functions, whose only metric is their 5xx count: Powertools Metrics would add
 * 13 KB to each of their bundles for it (setup-api is over its 450 KB budget: docs/BENCHMARKS.md).
 * Off, as Powertools is, when `POWERTOOLS_METRICS_DISABLED` is true, or when it is unset and
 * `POWERTOOLS_DEV` is true.
 */
export const emfMetrics = {
  publish(name: MetricName, unit: 'Count', value: number): void {
    if (disabled()) return;
    const service = process.env.POWERTOOLS_SERVICE_NAME || 'baocao';
    const line = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'Baocao',
            Dimensions: [['service']],
            Metrics: [{ Name: name, Unit: unit }],
          },
        ],
      },
      service,
      [name]: value,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  },
};

const TRUE = new Set(['1', 'y', 'yes', 't', 'true', 'on']);

function disabled(): boolean {
  const flag = process.env.POWERTOOLS_METRICS_DISABLED;
  if (flag !== undefined) return TRUE.has(flag.trim().toLowerCase());
  return TRUE.has((process.env.POWERTOOLS_DEV ?? '').trim().toLowerCase());
}
