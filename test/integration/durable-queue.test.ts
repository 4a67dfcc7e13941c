import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '#local/durable-queue.ts';

/** A consumer that records the bodies it got and fails those `fail` picks. */
function recorder(fail: (body: string, receive: number) => boolean = () => false) {
  const seen: { body: string; id: string; receive: number }[] = [];
  const consumer = async (event: SQSEvent) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const r of event.Records) {
      const receive = Number(r.attributes.ApproximateReceiveCount);
      seen.push({ body: r.body, id: r.messageId, receive });
      if (fail(r.body, receive)) failures.push({ itemIdentifier: r.messageId });
    }
    return { batchItemFailures: failures };
  };
  return { seen, consumer };
}

describe('the durable local queue', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-queue-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps sent messages in files until a consumer deletes them, in the order sent', async () => {
    const producer = new DurableQueue({ name: 'q', dir });
    await producer.send(['a', 'b', 'c']);
    expect(await readdir(join(dir, 'ready'))).toHaveLength(3);

    const { seen, consumer } = recorder();
    const queue = new DurableQueue({ name: 'q', dir, consumer, batchSize: 1 });
    queue.start();
    await queue.drain();
    await queue.close();
    expect(seen.map((s) => s.body)).toEqual(['a', 'b', 'c']);
    expect(await readdir(join(dir, 'ready'))).toEqual([]);
    expect(await readdir(join(dir, 'inflight'))).toEqual([]);
  });

  it('retries a failed message with the same id and dead-letters it after maxReceiveCount receives', async () => {
    const { seen, consumer } = recorder((body) => body === 'bad');
    const dead: string[] = [];
    const queue = new DurableQueue({
      name: 'q',
      dir,
      consumer,
      maxReceiveCount: 3,
      retryDelayMs: 5,
      onDeadLetter: (body) => dead.push(body),
    });
    queue.start();
    await queue.send(['good', 'bad']);
    await queue.drain();
    await queue.close();
    const bad = seen.filter((s) => s.body === 'bad');
    expect(bad.map((s) => s.receive)).toEqual([1, 2, 3]);
    expect(new Set(bad.map((s) => s.id)).size).toBe(1);
    expect(seen.filter((s) => s.body === 'good')).toHaveLength(1);
    expect(dead).toEqual(['bad']);
    const [file] = await readdir(join(dir, 'dead'));
    const stored = JSON.parse(await readFile(join(dir, 'dead', file!), 'utf8')) as {
      body: string;
      lastError: string;
    };
    expect(stored.body).toBe('bad');
    expect(stored.lastError).toMatch(/batch item failure/);
  });

  it('gives two consumers in two processes each message once', async () => {
    const bodies = Array.from({ length: 60 }, (_, i) => `m${i}`);
    await new DurableQueue({ name: 'q', dir }).send(bodies);
    const a = recorder();
    const b = recorder();
    const qa = new DurableQueue({ name: 'q', dir, consumer: a.consumer, batchSize: 1 });
    const qb = new DurableQueue({ name: 'q', dir, consumer: b.consumer, batchSize: 1 });
    qa.start();
    qb.start();
    await Promise.all([qa.drain(), qb.drain()]);
    await Promise.all([qa.close(), qb.close()]);
    const all = [...a.seen, ...b.seen].map((s) => s.body).sort();
    expect(all).toEqual([...bodies].sort());
  });

  it('delivers again a message whose process was killed while it was in flight, counting the receive', async () => {
    await new DurableQueue({ name: 'q', dir }).send(['first', 'second']);
    // A child process receives "first" and is killed inside its consumer.
    const script = join(dir, '..', `consumer-${Date.now()}.mjs`);
    await writeFile(
      script,
      `import { DurableQueue } from ${JSON.stringify(new URL('../../local/durable-queue.ts', import.meta.url).pathname)};
const q = new DurableQueue({ name: 'q', dir: ${JSON.stringify(dir)}, batchSize: 1, visibilityTimeoutMs: 3600000,
  consumer: async () => { process.stdout.write('in-flight\\n'); await new Promise(() => {}); } });
q.start();
setInterval(() => {}, 1000);`,
    );
    // One process (no tsx wrapper around it), so that SIGKILL kills the consumer itself.
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('in-flight') && resolve());
        child.on('exit', (code) => reject(new Error(`consumer exited with ${code}`)));
      });
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      expect(await readdir(join(dir, 'inflight'))).toHaveLength(1);

      // The next process delivers both, although the visibility timeout is an hour: the owner is gone.
      const { seen, consumer } = recorder();
      const queue = new DurableQueue({ name: 'q', dir, consumer, batchSize: 1, pollMs: 50 });
      queue.start();
      await queue.drain();
      await queue.close();
      expect(seen.map((s) => [s.body, s.receive])).toEqual([
        ['second', 1],
        ['first', 2],
      ]);
    } finally {
      child.kill('SIGKILL');
      await rm(script, { force: true });
    }
  });

  it('dead-letters a message that kills its consumer every time, without delivering it a sixth time', async () => {
    await new DurableQueue({ name: 'q', dir }).send(['poison']);
    const [name] = await readdir(join(dir, 'ready'));
    const id = name!.slice(23, -5);
    // Five receives by processes that died (pid 2^22 + 1 is beyond Linux's pid range).
    await writeFile(
      join(dir, 'ready', name!),
      JSON.stringify({ id, body: 'poison', sentAt: 0, receiveCount: 5, owner: 4194305 }),
    );
    const { seen, consumer } = recorder();
    const dead: string[] = [];
    const queue = new DurableQueue({ name: 'q', dir, consumer, onDeadLetter: (b) => dead.push(b) });
    queue.start();
    await queue.drain();
    await queue.close();
    expect(seen).toEqual([]);
    expect(dead).toEqual(['poison']);
  });
});
