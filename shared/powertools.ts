import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The one Powertools setup, imported by every function. The log level comes from the
 * environment (POWERTOOLS_LOG_LEVEL / LOG_LEVEL); events, tokens, e-mail bodies and personal data
 * are never logged.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Baocao',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao',
});
