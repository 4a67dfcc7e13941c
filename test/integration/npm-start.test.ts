import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** A port whose next three are free too (npm start takes PORT … PORT+3). */
async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all([0, 1, 2, 3].map((i) => isFree(base + i)));
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port block');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Signs in as the demo committee address through the running process's mail viewer. */
async function signInByMail(adminUrl: string, mailUrl: string): Promise<string> {
  const origin = new URL(adminUrl).origin;
  await fetch(`${origin}/admin/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ email: 'vanphong@demo.baocao.example' }),
  });
  for (let i = 0; i < 100; i++) {
    const { emails } = (await (await fetch(`${mailUrl}/store`)).json()) as {
      emails: { body: { text: string } }[];
    };
    const link = emails.at(-1)?.body.text.match(/http\S+\/admin\/sign-in\/[A-Za-z0-9_-]+/)?.[0];
    if (link) {
      const confirmed = await fetch(link, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: origin },
      });
      return confirmed.headers.getSetCookie()[0]!.split(';')[0]!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no sign-in e-mail arrived');
}

function start(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [TSX, 'local/start.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, ms = 60_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = out.match(pattern);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not seen ${pattern}; stdout: ${out}; stderr: ${err}`);
  };
  return { child, exited, waitFor, output: () => ({ out, err }) };
}

describe('npm start', () => {
  let dataDir: string;
  let port: number;
  let first: ReturnType<typeof start>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'baocao-start-'));
    port = await freePortBlock();
    first = start({ BAOCAO_DATA_DIR: dataDir, PORT: String(port) });
  });
  afterAll(async () => {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the app and mail URLs, each on its own line, and serves the demo plan', async () => {
    const app = await first.waitFor(/^App: (\S+)$/m);
    const mail = await first.waitFor(/^Mail: (\S+)$/m);
    expect(app[1]).toBe(`http://127.0.0.1:${port}/admin`);
    const page = await fetch(app[1]!);
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/\/admin\/sign-in$/);
    const cookie = await signInByMail(app[1]!, mail[1]!);
    const dashboard = await fetch(app[1]!, { headers: { Cookie: cookie } });
    expect(await dashboard.text()).toContain('12-KH/ĐUS');
    const store = await fetch(`${mail[1]}/store`);
    expect(store.status).toBe(200);
    expect(await store.json()).toHaveProperty('emails');
  });

  it('says clearly that it is already running when started a second time', async () => {
    const second = start({ BAOCAO_DATA_DIR: dataDir, PORT: String(port) });
    expect(await second.exited).toBe(1);
    expect(second.output().err).toMatch(/already running/);
  });

  it('says which port is taken when another program holds it', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'baocao-start-'));
    try {
      const other = start({ BAOCAO_DATA_DIR: otherDir, PORT: String(port) });
      expect(await other.exited).toBe(1);
      expect(other.output().err).toMatch(new RegExp(`Port ${port} .*in use`));
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('stops every server on Ctrl-C, keeps the data, and loads no second demo on restart', async () => {
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(await isFree(port)).toBe(true);
    expect(await isFree(port + 1)).toBe(true);

    const again = start({ BAOCAO_DATA_DIR: dataDir, PORT: String(port) });
    try {
      const app = await again.waitFor(/^App: (\S+)$/m);
      expect(again.output().out).not.toMatch(/Loaded the demo/);
      const mail = await again.waitFor(/^Mail: (\S+)$/m);
      const cookie = await signInByMail(app[1]!, mail[1]!);
      const plans = (await (
        await fetch(app[1]!.replace('/admin', '/api/plans'), { headers: { Cookie: cookie } })
      ).json()) as {
        plans: unknown[];
      };
      expect(plans.plans).toHaveLength(1);
    } finally {
      again.child.kill('SIGINT');
      await again.exited;
    }
  });

  it('starts empty of old data with --fresh and loads the demo again', async () => {
    const fresh = start({ BAOCAO_DATA_DIR: dataDir, PORT: String(port) }, ['--fresh']);
    try {
      await fresh.waitFor(/^App: /m);
      expect(fresh.output().out).toMatch(/Loaded the demo/);
    } finally {
      fresh.child.kill('SIGINT');
      await fresh.exited;
    }
  });
});
