/**
 * shared/emf-metric.ts prints the line Powertools Metrics prints for the same metric (the HTTP
 * functions count their 5xx with it, without Powertools Metrics in their bundles): the alarms on
 * those metrics (infra/constructs/monitoring.ts) must see the same namespace, dimension and value.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emfMetrics } from '#shared/emf-metric.ts';
import { METRICS } from '#shared/metrics.ts';

const ENV = {
  POWERTOOLS_METRICS_NAMESPACE: 'Baocao',
  POWERTOOLS_SERVICE_NAME: 'baocao',
  POWERTOOLS_METRICS_DISABLED: 'false',
  POWERTOOLS_DEV: '',
};

/** The JSON lines written to stdout while `run` runs. */
function printed(run: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a metric as one EMF line', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('is the line Powertools Metrics prints for the same metric, field for field', () => {
    for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
    vi.useFakeTimers({ now: new Date('2026-12-07T01:00:00Z'), toFake: ['Date'] });
    const ours = printed(() => emfMetrics.publish(METRICS.SetupApiServerError, 'Count', 1));
    const powertools = printed(() => {
      const metrics = new Metrics({ namespace: 'Baocao', serviceName: 'baocao' });
      metrics.addMetric(METRICS.SetupApiServerError, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    });
    expect(ours).toHaveLength(1);
    expect(ours).toEqual(powertools);
    expect(ours[0]).toMatchObject({
      service: 'baocao',
      SetupApiServerError: 1,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Baocao',
            Dimensions: [['service']],
            Metrics: [{ Name: 'SetupApiServerError', Unit: 'Count' }],
          },
        ],
      },
    });
  });

  it('prints nothing when metrics are disabled, as Powertools does', () => {
    for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    expect(printed(() => emfMetrics.publish(METRICS.AdminApiServerError, 'Count', 1))).toEqual([]);
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'yes');
    expect(printed(() => emfMetrics.publish(METRICS.AdminApiServerError, 'Count', 1))).toEqual([]);
  });
});
