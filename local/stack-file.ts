import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What a running `npm start` tells the CLI: where the emulators and the app are. */
export interface StackInfo {
  pid: number;
  appUrl: string;
  mailUrl: string;
  endpoints: { dynamodb: string; s3: string; ses: string };
  env: Record<string, string>;
  startedAt: string;
}

const FILE = 'stack.json';

export async function readStackInfo(dir: string): Promise<StackInfo | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, FILE), 'utf8')) as StackInfo;
  } catch {
    return undefined;
  }
}

/** The running stack's info, or undefined when none runs (a stale file from a killed run is ignored). */
export async function readRunningStack(dir: string): Promise<StackInfo | undefined> {
  const info = await readStackInfo(dir);
  return info && isAlive(info.pid) ? info : undefined;
}

export async function writeStackInfo(dir: string, info: StackInfo): Promise<void> {
  await writeFile(join(dir, FILE), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

export async function removeStackInfo(dir: string): Promise<void> {
  await rm(join(dir, FILE), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
