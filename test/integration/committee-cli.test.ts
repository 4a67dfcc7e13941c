/**
 * `baocao committee add|list|move` and `--committee`, run as the real executable against a
 * running local stack (docs/tenancy.md): the tree with dates, each committee's units and plans
 * apart, today's commands unchanged while there is one committee, and refusals that change nothing.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);

// Each run is a new Node process (~1–3 s on a busy machine): the tests get room for a dozen each.
describe('baocao committee against a running local stack', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    dir = stack.dataDir;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${dir}/units-a.csv`, 'id,name,email\ncb-1,Chi bộ Một,mot@example.org\n');
    await writeFile(
      `${dir}/units-b.csv`,
      'id,name,email\ncb-1,Chi bộ Một của Sở B,mot-b@example.org\ncb-2,Chi bộ Hai,hai@example.org\n',
    );
    await writeFile(`${dir}/plan.txt`, await readFile(DEMO_PLAN));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('works without --committee while the deployment holds one committee, as before', async () => {
    // Act
    const list = await runCli(['committee', 'list', '--json'], env);
    const units = await runCli(['units', 'import', `${dir}/units-a.csv`], env);
    // Assess
    expect(list.code, list.stderr).toBe(0);
    expect(
      (list.json() as { committees: { id: string; parentId: string | null }[] }).committees,
    ).toMatchObject([{ id: stack.config.COMMITTEE_ID, name: stack.config.COMMITTEE_NAME, parentId: null }]);
    expect(units.code, units.stderr).toBe(0);
  });

  it('adds committees under a parent, keeps their data apart, and then asks which one', async () => {
    // Act
    const bloc = await runCli(
      ['committee', 'add', 'khoi-cq', '--name', 'Đảng ủy Khối các cơ quan tỉnh'],
      env,
    );
    const dept = await runCli(
      [
        'committee',
        'add',
        'so-b',
        '--name',
        'Đảng ủy Sở B',
        '--parent',
        'khoi-cq',
        '--admin',
        'vanphong@so-b.example.vn',
      ],
      env,
    );
    const importB = await runCli(['units', 'import', `${dir}/units-b.csv`, '--committee', 'so-b'], env);
    const planB = await runCli(['plan', 'import', `${dir}/plan.txt`, '--committee', 'so-b', '--json'], env);
    const unitsB = await runCli(['units', 'list', '--committee', 'so-b', '--json'], env);
    const unitsRoot = await runCli(
      ['units', 'list', '--committee', stack.config.COMMITTEE_ID, '--json'],
      env,
    );
    const plansRoot = await runCli(['plan', 'list', '--committee', stack.config.COMMITTEE_ID, '--json'], env);
    const ambiguous = await runCli(['units', 'list'], env);
    const membersB = await runCli(['member', 'list', '--committee', 'so-b', '--json'], env);
    // Assess
    for (const r of [bloc, dept, importB, planB, unitsB, unitsRoot, plansRoot, membersB])
      expect(r.code, r.stderr).toBe(0);
    expect(dept.stdout).toContain('Đã thêm cấp ủy so-b: Đảng ủy Sở B (trực thuộc khoi-cq).');
    const names = (r: typeof unitsB) =>
      (r.json() as { units: { id: string; name: string }[] }).units.map((u) => u.name);
    expect(names(unitsB)).toEqual(['Chi bộ Một của Sở B', 'Chi bộ Hai']);
    expect(names(unitsRoot)).toEqual(['Chi bộ Một']);
    expect(JSON.stringify(plansRoot.json())).not.toContain('12-kh-dus');
    expect((membersB.json() as { members: { email: string; role: string }[] }).members).toMatchObject([
      { email: 'vanphong@so-b.example.vn', role: 'admin' },
    ]);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toContain('Hệ thống có 3 cấp ủy: hãy chọn một bằng --committee MÃ');
  });

  it('moves a committee from a date and keeps the tree before it', async () => {
    // Arrange
    await runCli(['committee', 'add', 'khoi-dn', '--name', 'Đảng ủy Khối Doanh nghiệp'], env);
    // Act
    const move = await runCli(
      ['committee', 'move', 'so-b', '--parent', 'khoi-dn', '--from', '01/07/2025'],
      env,
    );
    const list = await runCli(['committee', 'list', '--json'], env);
    // Assess
    expect(move.code, move.stderr).toBe(0);
    expect(move.stdout).toContain('Từ ngày 01/07/2025, so-b trực thuộc khoi-dn.');
    const byId = new Map(
      (list.json() as { committees: { id: string; parentId: string | null }[] }).committees.map((c) => [
        c.id,
        c.parentId,
      ]),
    );
    expect(byId.get('so-b')).toBe('khoi-dn');
  });

  it('refuses bad input with a Vietnamese error and changes nothing', async () => {
    // Act
    const results = [
      await runCli(['committee', 'add', 'Sai Mã', '--name', 'X'], env),
      await runCli(['committee', 'add', 'khoi-cq', '--name', 'Trùng mã'], env),
      await runCli(['committee', 'add', 'moi', '--name', 'X', '--parent', 'khong-co'], env),
      await runCli(['committee', 'add', 'moi-2', '--name', '   '], env),
      await runCli(['committee', 'move', 'khoi-dn', '--parent', 'so-b', '--from', '2026-01-01'], env),
      await runCli(['committee', 'move', 'so-b', '--parent', 'khoi-cq', '--from', '31/02/2026'], env),
      await runCli(['units', 'list', '--committee', 'khong-co'], env),
    ];
    const list = await runCli(['committee', 'list', '--json'], env);
    // Assess
    expect(results.map((r) => r.code)).toEqual(results.map(() => 1));
    expect(results.map((r) => r.stderr.trim().split('\n')[0])).toEqual([
      expect.stringContaining('Mã cấp ủy không hợp lệ'),
      expect.stringContaining('Mã cấp ủy "khoi-cq" đã có'),
      expect.stringContaining('Không có cấp ủy mã "khong-co"'),
      expect.stringContaining('Tên cấp ủy'),
      expect.stringContaining('Không thể chuyển'),
      expect.stringContaining('Ngày hiệu lực không hợp lệ'),
      expect.stringContaining('Không có cấp ủy mã "khong-co"'),
    ]);
    expect((list.json() as { committees: { id: string }[] }).committees.map((c) => c.id)).toEqual([
      'khoi-cq',
      'khoi-dn',
      stack.config.COMMITTEE_ID,
      'so-b',
    ]);
  });
});
