import type { Config } from '#shared/config.ts';
import type { MailQueue } from '#shared/ports.ts';

/**
 * Runs `work` with an in-process mail queue feeding the same mailer handler as the stack, and
 * drains it before returning, so the e-mails reach the stack's SES (the mailer sends each key
 * once, whichever process sends it). Returns how many e-mails could not be delivered.
 */
export async function withLocalMailQueue<T>(
  _config: Config,
  work: (queue: MailQueue) => Promise<T>,
): Promise<{ result: T; deadLetters: number }> {
  // Powertools reads these when the mailer module loads: keep stdout for the command's output.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const { LocalMailQueue } = await import('#local/mail-queue.ts');
  let deadLetters = 0;
  const queue = new LocalMailQueue(() => {
    deadLetters++;
  });
  try {
    const result = await work(queue);
    await queue.drain();
    return { result, deadLetters };
  } finally {
    queue.close();
  }
}
