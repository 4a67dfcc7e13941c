import { createHttpHandler } from '#functions/http/lambda-http.ts';
import { handleSetupRequest, type SetupDeps } from '#functions/web/setup-app.ts';
import { createSetupDeps } from '#functions/wiring/create-admin-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { lambdaDocumentReader } from '#shared/adapters/document-reader-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { METRICS } from '#shared/metrics.ts';

/**
 * The Powertools-wrapped handler of setup-api over deps made on first use (once per cold start; the
 * local stack passes its own).
 */
export function createSetupHandler(makeDeps: () => SetupDeps) {
  return createHttpHandler(handleSetupRequest, makeDeps, {
    serverErrorMetric: METRICS.SetupApiServerError,
    appUrl: (deps) => deps.appOrigin,
  });
}

/**
 * Lambda entry point of the committee's year setup: plans imported, their calendar, opening a
 * period and its recipients; the units, their import and workbook (the routes of `setup` in
 * functions/http/routes.ts). It starts no export: its runtime has no exporter.
 */
export const handler = createSetupHandler(() => {
  const config = loadConfig();
  const documentReader = lambdaDocumentReader(config);
  return createSetupDeps(
    createRuntime(config, { mailQueue: sqsMailQueue(config), ...(documentReader ? { documentReader } : {}) }),
  );
});
