import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools Metrics (EMF) of the functions that publish business metrics (shared/metrics.ts
 * names them): apart from ./powertools.ts, whose logger every function imports, so that a
 * function that publishes none bundles no Metrics (about 13 KB).
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Baocao',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao',
});
