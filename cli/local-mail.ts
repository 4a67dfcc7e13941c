import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { Connection } from './connect.ts';

/**
 * Runs `work` with a runtime that sends e-mails and starts exports. For a deployed stack that
 * is the connection's own (its SQS queue and exporter). For the local stack, the e-mails are
 * written to the durable mail queue in its data folder (`.data/queues/baocao-mail/`), which the
 * running stack delivers: a command killed part-way loses nothing it queued, and a stack killed
 * part-way delivers the rest at its next start (docs/local-mode.md). The command waits for its
 * own e-mails to be delivered, as before; if the stack stops meanwhile it says how many wait.
 * Exports run in this process. Returns how many e-mails could not be delivered.
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
    { DurableMailProducer },
    { LocalExportRunner },
    { createExporterHandler },
    { dataDir },
    { readRunningStack },
  ] = await Promise.all([
    import('#local/mail-queue.ts'),
    import('#local/export-runner.ts'),
    import('#functions/exporter.ts'),
    import('#local/paths.ts'),
    import('#local/stack-file.ts'),
  ]);
  const dir = dataDir();
  const failures: unknown[] = [];
  const queue = new DurableMailProducer(dir);
  const exports = new LocalExportRunner(
    createExporterHandler(() => singleCommittee(createExportDeps(runtime), runtime.scope.committeeId)),
    (error) => failures.push(error),
  );
  // The local queues under the command's committee scope: what it queues names its committee.
  const runtime: Runtime = connection.rescope({
    ...connection.base,
    mailQueue: queue,
    exportInvoker: exports,
  });
  const settle = async () => {
    const { dead, remaining } = await queue.settled(async () => (await readRunningStack(dir)) !== undefined);
    if (remaining.length > 0) {
      process.stderr.write(
        `${remaining.length} e-mail vẫn đang chờ trong hàng đợi vì hệ thống cục bộ đã dừng; chúng sẽ được gửi khi chạy lại \`npm start\`.\n`,
      );
    }
    return dead.length;
  };
  // What was queued before a failure is still delivered: the use cases record an e-mail as
  // queued (a unit's `announcedAt`) as soon as the enqueue returns, as it does with SQS.
  const result = await work(runtime).catch(async (error: unknown) => {
    await settle();
    throw error;
  });
  await exports.drain();
  const deadLetters = await settle();
  if (failures.length > 0) throw failures[0];
  return { result, deadLetters };
}
