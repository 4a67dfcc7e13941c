import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#local/stack.ts';

export interface TestStack extends LocalStack {
  dataDir: string;
  /** Stops the stack and removes its data folder. */
  stop(): Promise<void>;
}

/** A whole local stack on free ports, DynamoDB in memory, data in a temporary folder. */
export async function startTestStack(options: Partial<LocalStackOptions> = {}): Promise<TestStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'baocao-test-'));
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    inMemory: true,
    demo: false,
    ...options,
    // The link-signing key lives in the data folder, as with `npm start`.
    // No ClamAV database unless a test brings its own (test/support/eicar.ts): a machine's real
    // one would make every upload wait for a full scan (docs/malware-scanning.md).
    env: {
      BAOCAO_SECRETS_DIR: join(dataDir, 'secrets'),
      CLAMAV_DATABASE: join(dataDir, 'no-clamav-database'),
      ...options.env,
    },
  });
  return {
    ...stack,
    dataDir,
    stop: async () => {
      await stack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock the test moves by hand. */
export function fixedClock(iso: string): { now(): Date; set(iso: string): void } {
  let current = new Date(iso);
  return {
    now: () => new Date(current),
    set: (next: string) => {
      current = new Date(next);
    },
  };
}
