import { join } from 'node:path';
import { createPlannerHandler } from '#functions/planner.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import type { PlannerMessage, PlannerQueue } from '#shared/tenancy/planner-fan-out.ts';
import { DurableQueue } from './durable-queue.ts';
import { plannerDirectory, runLocalTick } from './invoke-planner.ts';
import type { SqsHandler } from './queue.ts';

const PLANNER_QUEUE_NAME = 'baocao-planner';

/** As the deployed queue's redrive policy (infra/constructs/queues.ts MAX_RECEIVE_COUNT). */
const MAX_RECEIVE_COUNT = 5;

/**
 * The local planner queue: the stand-in for SQS between the daily tick and the planner worker
 * (functions/planner.ts, the same Powertools-wrapped handler as in Lambda, partial batch failures),
 * kept under `<dataDir>/queues/baocao-planner/`. A process killed mid-run leaves the committees
 * not yet done (and the one in progress) in the folder; the next start runs them, for the day
 * the tick decided for. Each committee's run is idempotent (conditional writes, e-mail keys the
 * mailer sends once), so running one again changes nothing twice.
 */
export class LocalPlannerQueue implements PlannerQueue {
  readonly queue: DurableQueue;

  constructor(
    private readonly runtime: () => Runtime,
    dataDir: string,
    onDeadLetter: (body: string, error: unknown) => void,
  ) {
    const handler = createPlannerHandler(() => plannerDirectory(runtime()));
    this.queue = new DurableQueue({
      name: PLANNER_QUEUE_NAME,
      dir: join(dataDir, 'queues', PLANNER_QUEUE_NAME),
      consumer: (event) =>
        (handler as unknown as (e: unknown, c: unknown) => ReturnType<SqsHandler>)(event, {
          awsRequestId: 'local',
          functionName: 'planner',
          getRemainingTimeInMillis: () => 900_000,
        }),
      // One committee at a time: a crash interrupts at most one run (which is run again).
      batchSize: 1,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      retryDelayMs: 5_000,
      // A committee's run may take minutes (the day a large period opens).
      visibilityTimeoutMs: 15 * 60_000,
      onDeadLetter,
    });
  }

  /** Starts running what an earlier process left, then what the ticks send. */
  start(): void {
    this.queue.start();
  }

  async enqueue(messages: PlannerMessage[]): Promise<void> {
    await this.queue.send(messages.map((m) => JSON.stringify(m)));
  }

  /** The daily tick (the cron's job): one message per committee into this queue. */
  tick(at: Date): Promise<unknown> {
    return runLocalTick(this.runtime(), this, at);
  }

  /** Resolves when every queued run is done or dead-lettered. */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
