import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { Connection } from './connect.ts';

/**
 * Runs `work` with a runtime that sends e-mails and starts exports. For a deployed stack that
 * is the connection's own (its SQS queue and exporter). For the local stack, this process is
 * wired like it: an in-process mail queue feeding the same mailer handler, and the exporter run
 * in-process. Both are drained before returning, so the e-mails reach the stack's SES (the
 * mailer sends each key once, whichever process sends it). Returns how many e-mails could not be
 * delivered.
 */
export async function withLocalMailQueue<T>(
  connection: Connection,
  work: (runtime: Runtime) => Promise<T>,
): Promise<{ result: T; deadLetters: number }> {
  if (connection.stage) return { result: await work(connection.runtime), deadLetters: 0 };
  // Powertools reads these when the handler modules load: keep stdout for the command's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const [
    { asSqsHandler, LocalMailQueue },
    { LocalExportRunner },
    { createMailerHandler },
    { createExporterHandler },
  ] = await Promise.all([
    import('#local/mail-queue.ts'),
    import('#local/export-runner.ts'),
    import('#functions/mailer.ts'),
    import('#functions/exporter.ts'),
  ]);
  let deadLetters = 0;
  const failures: unknown[] = [];
  const queue = new LocalMailQueue(
    () => {
      deadLetters++;
    },
    asSqsHandler(createMailerHandler(() => createMailDeps(runtime))),
  );
  const exports = new LocalExportRunner(
    createExporterHandler(() => createExportDeps(runtime)),
    (error) => failures.push(error),
  );
  const runtime: Runtime = { ...connection.runtime, mailQueue: queue, exportInvoker: exports };
  try {
    const result = await work(runtime).catch(async (error: unknown) => {
      // What was queued before the failure is still delivered: the use cases record an e-mail as
      // queued (a unit's `announcedAt`) as soon as the enqueue returns, as it does with SQS.
      await queue.drain();
      throw error;
    });
    await exports.drain();
    await queue.drain();
    if (failures.length > 0) throw failures[0];
    return { result, deadLetters };
  } finally {
    queue.close();
  }
}
