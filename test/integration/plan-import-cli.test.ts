/**
 * `baocao plan import` on plan documents as they really come: a PDF read in the CLI's own
 * process, each field printed with the line it was read from, and a plan without a yearly
 * reporting duty refused with what is missing unless `--allow-incomplete`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';

const CORPUS = new URL('../fixtures/plans/corpus/', import.meta.url);

describe('baocao plan import — PDF, sources, --allow-incomplete', () => {
  let stack: TestStack;
  let env: Record<string, string>;

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('imports a PDF plan, prints where each field was read and takes the deadline it gives', async () => {
    const r = await runCli(['plan', 'import', new URL('pdf-chuong-trinh.pdf', CORPUS).pathname], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('07-ctr-du-2024');
    expect(lines).toContain('  hạn nộp 05/12 hằng năm (theo tài liệu)');
    expect(lines).toContain('    số kế hoạch: dòng 4 — Số 07-CTr/ĐU');
  });

  it('refuses a plan without a yearly reporting duty, naming it, and saves it with --allow-incomplete', async () => {
    const file = new URL('ke-hoach-sau-thang.txt', CORPUS).pathname;
    const refused = await runCli(['plan', 'import', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/thiếu định kỳ báo cáo/);
    expect(await stack.deps.plans.getPlan('09-kh-du-2025')).toBeUndefined();

    const saved = await runCli(['plan', 'import', file, '--allow-incomplete', '--json'], env);
    expect(saved.code).toBe(0);
    expect(saved.json()).toMatchObject({ id: '09-kh-du-2025', defaulted: ['reportingFrequency'] });
  });
});
