import { Cron } from 'croner';

/**
 * The local stand-in for the EventBridge Scheduler schedule: the same cron expression, in the
 * committee's time zone. Runs are not overlapped (a slow run makes the next one wait).
 */
export function startDailyCron(
  expression: string,
  timeZone: string,
  run: (at: Date) => Promise<void>,
  onError: (error: unknown) => void,
): Cron {
  return new Cron(expression, { timezone: timeZone, protect: true }, async () => {
    try {
      await run(new Date());
    } catch (error) {
      onError(error);
    }
  });
}
