import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one Powertools setup, imported by every function. The log level comes from the
 * environment (POWERTOOLS_LOG_LEVEL / LOG_LEVEL); events, tokens, e-mail bodies and personal data
 * are never logged. The functions that publish metrics import them from ./powertools-metrics.ts:
 * apart, so that the others (the HTTP functions) do not bundle Powertools Metrics (they print
 * their one metric, the 5xx count, as an EMF line: ./emf-metric.ts).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'baocao' });
