import { createHttpHandler } from '#functions/http/lambda-http.ts';
import { type AdminDeps, handleAdminRequest } from '#functions/web/admin-app.ts';
import { createAdminDeps } from '#functions/wiring/create-admin-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { lambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { sqsSignatureQueue } from '#shared/adapters/signature-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { METRICS } from '#shared/metrics.ts';

/**
 * The Powertools-wrapped handler of admin-api over deps made on first use (once per cold start; the
 * local stack passes its own).
 */
export function createAdminHandler(makeDeps: () => AdminDeps) {
  return createHttpHandler(handleAdminRequest, makeDeps, {
    serverErrorMetric: METRICS.AdminApiServerError,
    appUrl: (deps) => deps.appOrigin,
  });
}

/**
 * Lambda entry point of the committee's sign-in, plans and periods, units in a period, downloads,
 * exports and members (the routes of `admin` in functions/http/routes.ts).
 */
export const handler = createAdminHandler(() => {
  const config = loadConfig();
  return createAdminDeps(
    createRuntime(config, {
      mailQueue: sqsMailQueue(config),
      exportInvoker: lambdaExportInvoker(config),
      // The unit page's re-check queues the unit's PDFs for the verifier (docs/signatures.md).
      signatureQueue: sqsSignatureQueue(config),
    }),
  );
});
