import { randomUUID } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { InProcessQueueOptions, LocalQueue } from './queue.ts';

/** Options of a {@link DurableQueue}: those of the in-process queue, and where it keeps its messages. */
export interface DurableQueueOptions extends Omit<InProcessQueueOptions, 'consumer'> {
  /** The queue's folder (`.data/queues/<name>`); created when missing. */
  dir: string;
  /** The consumer; none for a producer-only handle (the CLI writes, the running stack consumes). */
  consumer?: InProcessQueueOptions['consumer'];
  /**
   * How long a received message stays invisible before another receive may take it (SQS's
   * visibility timeout). A message whose receiving process has died is visible again at once.
   */
  visibilityTimeoutMs?: number;
  /** How often the consumer looks for visible messages when no change was noticed. */
  pollMs?: number;
  /** A failure of the queue itself (its folder unreadable …); the default logs it. */
  onError?: (error: unknown) => void;
}

/** One message as stored in its file. */
interface StoredMessage {
  id: string;
  body: string;
  sentAt: number;
  receiveCount: number;
  /** The process that received it last, and until when it is invisible to the others. */
  owner?: number;
  invisibleUntil?: number;
  lastError?: string;
}

const READY = 'ready';
const INFLIGHT = 'inflight';
const DEAD = 'dead';
const TMP = 'tmp';
/** Files written at once when sending (each is a small write + a rename). */
const WRITE_CONCURRENCY = 32;
/** A file in `inflight/` younger than this may be mid-receive (renamed, not yet rewritten): left alone. */
const RECEIVE_GRACE_MS = 2_000;
/** Names read from `ready/` per listing; claimed one batch at a time. */
const LIST_WINDOW = 200;

/**
 * A local queue that survives its process, with SQS's delivery rules, in plain files:
 *
 * - `ready/<visibleAt>-<sequence>-<id>.json`: visible from `visibleAt` (ms since the epoch, 13
 *   digits), so a sorted listing is the delivery order (a sender's own messages in its order);
 * - `inflight/<id>.json`: received and not yet deleted; the file says by which process and until
 *   when. A receive is a `rename` from `ready/` (atomic: two processes never take the same one);
 * - `dead/<id>.json`: moved there after `maxReceiveCount` receives, with the last error;
 * - `tmp/`: every file is written there first and renamed into place, so none is ever half written.
 *
 * A message is deleted only after its consumer succeeded. A failed one goes back to `ready/`
 * after `retryDelayMs`; one whose process died mid-delivery goes back as soon as another process
 * notices (the owner's pid is gone) or its visibility timeout has passed; each receive counts, so a
 * message that kills its consumer every time is dead-lettered too. Files survive the process
 * being killed (they are in the OS's cache), not a power cut (no fsync): this is local mode.
 */
export class DurableQueue implements LocalQueue {
  readonly deadLetters: { body: string; error: unknown }[] = [];
  private readonly batchSize: number;
  private readonly maxReceiveCount: number;
  private readonly retryDelayMs: number;
  private readonly visibilityTimeoutMs: number;
  private readonly pollMs: number;
  private readonly ready: Promise<void>;
  private readonly delivering = new Set<string>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private started = false;
  private closed = false;
  private again = false;

  constructor(private readonly options: DurableQueueOptions) {
    this.batchSize = options.batchSize ?? 10;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs ?? 30_000;
    this.pollMs = options.pollMs ?? 250;
    this.ready = Promise.all(
      [READY, INFLIGHT, DEAD, TMP].map((d) => mkdir(join(options.dir, d), { recursive: true })),
    ).then(() => undefined);
  }

  get dir(): string {
    return this.options.dir;
  }

  /**
   * Starts consuming: what earlier processes left (ready, or in flight in a process now gone) is
   * delivered first. Without a consumer this does nothing.
   */
  start(): void {
    if (this.started || !this.options.consumer) return;
    this.started = true;
    void this.ready.then(() => {
      if (this.closed) return;
      try {
        this.watcher = watch(join(this.options.dir, READY), () => this.kick());
        this.watcher.on('error', () => undefined);
      } catch {
        // Polling alone is enough.
      }
      this.schedule();
      this.kick();
    });
  }

  /**
   * Stores message bodies; resolves once every one is in `ready/` (so a caller that records
   * "queued" after this is never ahead of the files). Returns their ids.
   */
  async send(bodies: string[]): Promise<string[]> {
    await this.ready;
    const now = Date.now();
    const ids = bodies.map(() => randomUUID());
    for (let i = 0; i < bodies.length; i += WRITE_CONCURRENCY) {
      await Promise.all(
        bodies.slice(i, i + WRITE_CONCURRENCY).map((body, j) => {
          const id = ids[i + j]!;
          return this.place({ id, body, sentAt: now, receiveCount: 0 }, join(READY, readyName(now, id)));
        }),
      );
    }
    this.kick();
    return ids;
  }

  /** How many messages are waiting or being delivered (by any process). */
  async pending(): Promise<number> {
    await this.ready;
    const [ready, inflight] = await Promise.all([this.list(READY), this.list(INFLIGHT)]);
    return ready.length + inflight.length;
  }

  /**
   * Resolves when none of `ids` is waiting or in flight any more; returns those dead-lettered.
   * `alive` is asked between looks: when it answers false the wait ends with the rest still queued.
   */
  async settled(
    ids: readonly string[],
    alive: () => Promise<boolean> = async () => true,
  ): Promise<{
    dead: string[];
    remaining: string[];
  }> {
    await this.ready;
    const wanted = new Set(ids);
    for (;;) {
      const [ready, inflight] = await Promise.all([this.list(READY), this.list(INFLIGHT)]);
      const remaining = [...ready.map(idOfReady), ...inflight.map(idOfFile)].filter((id) => wanted.has(id));
      const dead = (await this.list(DEAD)).map(idOfFile).filter((id) => wanted.has(id));
      if (remaining.length === 0) return { dead, remaining };
      if (!(await alive())) return { dead, remaining };
      await delay(50);
    }
  }

  /** Resolves when no message is waiting or in flight in the folder (this process consuming). */
  async drain(): Promise<void> {
    await this.ready;
    while ((await this.pending()) > 0) {
      this.kick();
      await (this.running ?? delay(10));
    }
  }

  /**
   * Stops consuming; waits for the batch being delivered. Messages stay in the folder for the
   * next process.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    await this.running;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.kick();
      this.schedule();
    }, this.pollMs);
    this.timer.unref();
  }

  private kick(): void {
    if (this.closed || !this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pump()
      .catch((error) => (this.options.onError ?? console.error)(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Delivers every visible message, a batch at a time, then returns the lost ones to `ready/`. */
  private async pump(): Promise<void> {
    await this.recoverInflight();
    while (!this.closed) {
      const names = (await this.list(READY)).sort().slice(0, LIST_WINDOW);
      const now = Date.now();
      const visible = names.filter((n) => visibleAt(n) <= now);
      if (visible.length === 0) return;
      let delivered = 0;
      for (let i = 0; i < visible.length && !this.closed; ) {
        const batch: StoredMessage[] = [];
        while (batch.length < this.batchSize && i < visible.length) {
          const m = await this.receive(visible[i++]!);
          if (m) batch.push(m);
        }
        if (batch.length === 0) continue;
        delivered += batch.length;
        await this.deliver(batch);
      }
      if (delivered === 0 && visible.length < LIST_WINDOW) return;
    }
  }

  /** Takes one message from `ready/` (or returns undefined when another process took it first). */
  private async receive(name: string): Promise<StoredMessage | undefined> {
    const id = idOfReady(name);
    const inflight = join(this.options.dir, INFLIGHT, `${id}.json`);
    try {
      await rename(join(this.options.dir, READY, name), inflight);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    this.delivering.add(id);
    // Until rewritten below, the file's age says it is new (a crash here leaves it recoverable).
    const now = Date.now();
    await utimes(inflight, now / 1000, now / 1000).catch(() => undefined);
    const stored = await this.read(inflight);
    if (!stored) {
      this.delivering.delete(id);
      return undefined;
    }
    const message: StoredMessage = {
      ...stored,
      receiveCount: stored.receiveCount + 1,
      owner: process.pid,
      invisibleUntil: now + this.visibilityTimeoutMs,
    };
    if (message.receiveCount > this.maxReceiveCount) {
      // Received that often without being deleted: its consumer died each time (SQS's redrive).
      await this.deadLetter(message, message.lastError ?? 'received too often without completing');
      return undefined;
    }
    await this.place(message, join(INFLIGHT, `${id}.json`));
    return message;
  }

  private async deliver(batch: StoredMessage[]): Promise<void> {
    const event: SQSEvent = { Records: batch.map((m) => this.toRecord(m)) };
    let failed: Set<string>;
    let error: unknown = 'reported as a batch item failure';
    try {
      const response = await this.options.consumer!(event);
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (thrown) {
      failed = new Set(batch.map((m) => m.id));
      error = thrown;
    }
    await Promise.all(
      batch.map(async (m) => {
        try {
          if (!failed.has(m.id)) {
            await rm(join(this.options.dir, INFLIGHT, `${m.id}.json`), { force: true });
          } else if (m.receiveCount >= this.maxReceiveCount) {
            await this.deadLetter(m, error);
          } else {
            const retry: StoredMessage = { ...m, lastError: describe(error) };
            delete retry.owner;
            delete retry.invisibleUntil;
            await this.place(retry, join(INFLIGHT, `${m.id}.json`));
            await moveIfThere(
              join(this.options.dir, INFLIGHT, `${m.id}.json`),
              join(this.options.dir, READY, readyName(Date.now() + this.retryDelayMs, m.id)),
            );
          }
        } finally {
          this.delivering.delete(m.id);
        }
      }),
    );
  }

  private async deadLetter(m: StoredMessage, error: unknown): Promise<void> {
    const record = { ...m, lastError: describe(error) };
    await this.place(record, join(DEAD, `${m.id}.json`));
    await rm(join(this.options.dir, INFLIGHT, `${m.id}.json`), { force: true });
    this.delivering.delete(m.id);
    this.deadLetters.push({ body: m.body, error });
    this.options.onDeadLetter?.(m.body, error);
  }

  /**
   * Returns to `ready/` the messages in flight whose process is gone or whose visibility timeout
   * has passed (a process killed mid-delivery; the next receive counts again).
   */
  private async recoverInflight(): Promise<void> {
    const now = Date.now();
    for (const name of await this.list(INFLIGHT)) {
      const id = idOfFile(name);
      if (this.delivering.has(id)) continue;
      const path = join(this.options.dir, INFLIGHT, name);
      const modified = await stat(path).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      if (modified === undefined || now - modified < RECEIVE_GRACE_MS) continue;
      const m = await this.read(path);
      if (!m) continue;
      const ownerGone = m.owner === undefined || (m.owner !== process.pid ? !isAlive(m.owner) : true);
      const expired = m.invisibleUntil === undefined || m.invisibleUntil <= now;
      if (ownerGone || expired) await moveIfThere(path, join(this.options.dir, READY, readyName(now, id)));
    }
    // Files half written by a process that died before renaming them.
    for (const name of await this.list(TMP)) {
      const pid = Number(name.split('-')[0]);
      if (pid !== process.pid && !isAlive(pid)) await rm(join(this.options.dir, TMP, name), { force: true });
    }
  }

  /** Writes a message to `relative` through `tmp/` (never seen half written). */
  private async place(m: StoredMessage, relative: string): Promise<void> {
    const tmp = join(this.options.dir, TMP, `${process.pid}-${randomUUID()}`);
    await writeFile(tmp, JSON.stringify(m));
    await rename(tmp, join(this.options.dir, relative));
  }

  private async read(path: string): Promise<StoredMessage | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as StoredMessage;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async list(sub: string): Promise<string[]> {
    try {
      return (await readdir(join(this.options.dir, sub))).filter((n) => n.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private toRecord(m: StoredMessage): SQSRecord {
    return {
      // Stable across receives, as SQS's: the mailer's claim is owned by it, so a redelivered
      // message after a crash sends its e-mail rather than skip it.
      messageId: m.id,
      receiptHandle: `${m.id}/${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.options.name}`,
      awsRegion: 'local',
    };
  }
}

let sequence = 0;

/** `<visibleAt>-<sequence>-<id>.json`: sorted by time, then in this process's sending order. */
function readyName(visibleAtMs: number, id: string): string {
  sequence = (sequence + 1) % 100_000_000;
  return `${String(visibleAtMs).padStart(13, '0')}-${String(sequence).padStart(8, '0')}-${id}.json`;
}

function visibleAt(readyFile: string): number {
  return Number(readyFile.slice(0, 13));
}

function idOfReady(readyFile: string): string {
  return readyFile.slice(23, -'.json'.length);
}

function idOfFile(name: string): string {
  return name.slice(0, -'.json'.length);
}

async function moveIfThere(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function describe(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
