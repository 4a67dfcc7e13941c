import { createHttpHandler } from '#functions/http/lambda-http.ts';
import type { SetupDeps } from '#functions/web/admin-context.ts';
import { handleUnitsRequest } from '#functions/web/units-app.ts';
import { createSetupDeps } from '#functions/wiring/create-admin-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { lambdaDocumentReader } from '#shared/adapters/document-reader-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { METRICS } from '#shared/metrics.ts';

/**
 * The Powertools-wrapped handler of units-api over deps made on first use (once per cold start; the
 * local stack passes its own).
 */
export function createUnitsHandler(makeDeps: () => SetupDeps) {
  return createHttpHandler(handleUnitsRequest, makeDeps, {
    serverErrorMetric: METRICS.UnitsApiServerError,
    appUrl: (deps) => deps.appOrigin,
  });
}

/**
 * Lambda entry point of the committee's units: the list, a unit's page and actions, their import
 * (CSV or .xlsx, read by the document reader) and workbook, a plan's recipients, and the audit
 * log as .xlsx (the routes of `units` in functions/http/routes.ts). Built as setup-api is: it
 * starts no export, its runtime has no exporter.
 */
export const handler = createUnitsHandler(() => {
  const config = loadConfig();
  const documentReader = lambdaDocumentReader(config);
  return createSetupDeps(
    createRuntime(config, { mailQueue: sqsMailQueue(config), ...(documentReader ? { documentReader } : {}) }),
  );
});
