import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeStackInfo } from '#local/stack-file.ts';
import type { TestStack } from './local-stack.ts';

const BIN = fileURLToPath(new URL('../../bin/baocao.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for `--json` runs). */
  json: () => unknown;
}

/** Runs the real `baocao` executable as a child process, as a user would. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}

/**
 * Makes a test stack findable by the CLI the way `npm start` is, through the data folder's stack
 * file (this test process stands in for the running stack), and returns the CLI's environment.
 */
export async function exposeToCli(stack: TestStack): Promise<Record<string, string>> {
  await writeStackInfo(stack.dataDir, {
    pid: process.pid,
    appUrl: stack.appUrl,
    mailUrl: stack.mailUrl,
    endpoints: stack.endpoints,
    env: stack.env,
    startedAt: new Date().toISOString(),
  });
  return { BAOCAO_DATA_DIR: stack.dataDir };
}
