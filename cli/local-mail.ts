import { setExportInvoker } from '#shared/adapters/export-invoker.ts';
import { getMailQueue, setMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';

/**
 * Runs `work` with this process wired like the local stack: an in-process mail queue feeding
 * the same mailer handler, and the exporter run in-process. Both are drained before returning,
 * so the e-mails reach the stack's SES (the mailer sends each key once, whichever process sends
 * it). Returns how many e-mails could not be delivered.
 */
export async function withLocalMailQueue<T>(
  _config: Config,
  work: (queue: MailQueue) => Promise<T>,
): Promise<{ result: T; deadLetters: number }> {
  // A deployed stack: e-mails go to its SQS queue and exports to its exporter (MAIL_QUEUE_URL,
  // EXPORTER_FUNCTION_NAME from the stack), delivered there.
  if (process.env.BAOCAO_STAGE) return { result: await work(getMailQueue(_config)), deadLetters: 0 };
  // Powertools reads these when the handler modules load: keep stdout for the command's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const [{ LocalMailQueue }, { LocalExportRunner }] = await Promise.all([
    import('#local/mail-queue.ts'),
    import('#local/export-runner.ts'),
  ]);
  let deadLetters = 0;
  const failures: unknown[] = [];
  const queue = new LocalMailQueue(() => {
    deadLetters++;
  });
  const exports = new LocalExportRunner((error) => failures.push(error));
  setMailQueue(queue);
  setExportInvoker(exports);
  try {
    const result = await work(queue).catch(async (error: unknown) => {
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
    setMailQueue(undefined);
    setExportInvoker(undefined);
  }
}
