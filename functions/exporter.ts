import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as v from 'valibot';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { applyExporterV8Flags } from '#functions/wiring/exporter-v8-flags.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { loadConfig } from '#shared/config.ts';
import { buildExport } from '#shared/export/build-export.ts';
import type { ExportDeps } from '#shared/export/ports.ts';
import { isExportId } from '#shared/export/records.ts';
import { METRICS } from '#shared/metrics.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { metrics } from '#shared/powertools-metrics.ts';

/** The asynchronous invocation's payload (from the admin function, the planner or the CLI). */
export const exportEventSchema = v.object({
  planId: v.pipe(v.string(), v.regex(/^[a-z0-9-]{1,100}$/)),
  year: v.pipe(v.number(), v.integer(), v.minValue(2000), v.maxValue(2100)),
  exportId: v.optional(v.pipe(v.string(), v.check(isExportId, 'not an export id'))),
  requestedBy: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(320))),
});

export type ExportEvent = v.InferOutput<typeof exportEventSchema>;

export interface ExportOutcome {
  exportId: string;
  key: string;
  bytes: number;
  units: number;
  files: number;
  /** false when the export had been finished by an earlier attempt. */
  built: boolean;
}

/**
 * Builds the consolidated results of one period (see shared/export/build-export.ts). Invoked
 * asynchronously: a thrown error makes Lambda retry (twice), and a retry with the same exportId
 * rebuilds a failed export or returns a finished one.
 */
export async function runExport(event: unknown, deps: ExportDeps): Promise<ExportOutcome> {
  const input = v.parse(exportEventSchema, event);
  const started = Date.now();
  const result = await buildExport(deps, input.planId, input.year, {
    exportId: input.exportId,
    requestedBy: input.requestedBy ?? 'system',
  });
  if (result.built) {
    metrics.addMetric(METRICS.ExportBuilt, MetricUnit.Count, 1);
    metrics.addMetric(METRICS.ExportBytes, MetricUnit.Bytes, result.bytes);
    metrics.addMetric(METRICS.ExportDuration, MetricUnit.Milliseconds, Date.now() - started);
  }
  // Identifiers and figures only: no unit names, no e-mail addresses.
  logger.info('export finished', {
    planId: input.planId,
    year: input.year,
    exportId: result.exportId,
    built: result.built,
    units: result.units,
    files: result.files,
    bytes: result.bytes,
    ms: Date.now() - started,
  });
  return {
    exportId: result.exportId,
    key: result.key,
    bytes: result.bytes,
    units: result.units,
    files: result.files,
    built: result.built,
  };
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createExporterHandler(makeDeps: () => CommitteeDirectory<ExportDeps>) {
  let deps: CommitteeDirectory<ExportDeps> | undefined;
  return lambdaHandler<unknown, ExportOutcome>(
    async (event) => {
      deps ??= makeDeps();
      try {
        // The invocation's committee (docs/tenancy.md) builds its own pack.
        return await runExport(event, await depsForMessage(deps, event));
      } catch (error) {
        metrics.addMetric(METRICS.ExportFailed, MetricUnit.Count, 1);
        logger.error('export failed', { error: error as Error });
        throw error;
      }
    },
    { metrics },
  );
}

/** Lambda entry point (asynchronous invocations from the admin function and the planner). */
export const handler = createExporterHandler(() => {
  // This process is the exporter's alone (not the local stack's, which imports this module).
  applyExporterV8Flags();
  const config = loadConfig();
  return committeeDirectory(createRuntime(config, { mailQueue: sqsMailQueue(config) }), (runtime) =>
    createExportDeps(runtime),
  );
});
