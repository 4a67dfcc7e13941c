/**
 * The deployment's first committee moved under another (`baocao committee move main --parent X
 * --from D`, docs/tenancy.md): its period page offers "Gửi báo cáo lên cấp trên" when it has a
 * parent on the period's open date, as any other committee's does. Its deps are built without a
 * registry read; its parent links are read the first time a period page asks and kept a minute,
 * so a page adds no request to the ones it always made (test/integration/period-page.test.ts,
 * bench group `period-page`), and a move shows within a minute.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { addCommittee, moveCommittee } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { signIn } from '#test/support/sign-in.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const LINK = 'Gửi báo cáo lên cấp trên';

describe('the first committee’s period page once it is moved under another', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };
  const clock = fixedClock('2026-11-20T03:00:00Z');
  /** The DynamoDB requests sent while counting: `<command> <partition key>`. */
  const sent: string[] = [];
  let counting = false;

  /** The period page as the signed-in first committee sees it, and the requests it made. */
  async function periodPage(): Promise<{ html: string; requests: string[] }> {
    sent.length = 0;
    counting = true;
    const res = await fetch(`${stack.appUrl}/admin/plans/${PLAN}/${YEAR}`, {
      redirect: 'manual',
      headers: { Cookie: session.cookie },
    });
    const html = await res.text();
    counting = false;
    expect(res.status).toBe(200);
    return { html, requests: [...sent] };
  }
  /** A minute and a second later: what the page kept is read again. */
  const aMinuteLater = () => clock.set(new Date(clock.now().getTime() + 61_000).toISOString());

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    stack.runtime.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (counting) {
          const input = args.input as {
            Key?: { pk?: unknown };
            ExpressionAttributeValues?: Record<string, unknown>;
          };
          const pk = input.Key?.pk ?? input.ExpressionAttributeValues?.[':pk'] ?? '';
          sent.push(`${String(context.commandName).replace(/Command$/, '')} ${String(pk)}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'firstCommitteeRequestCounter' },
    );
    await importUnits(stack.deps, 'id,name,email\ncb-a,Chi bộ A,a@example.org\n');
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, {
      planId: PLAN,
      year: YEAR,
      openDate: '2026-11-15',
      deadline: '2026-12-15',
    });
    session = await signIn(stack, 'vanphong@demo.baocao.example');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('offers no link while it has no parent, reading its parent links once a minute, not per page', async () => {
    // Act
    const first = await periodPage();
    const second = await periodPage();
    // Assess
    expect(first.html).not.toContain(LINK);
    expect(first.requests.filter((r) => r.includes('TREE#'))).toEqual([
      `Query TREE#${stack.config.COMMITTEE_ID}#PARENTS`,
    ]);
    // The next page within the minute: exactly the requests it made before parents existed.
    expect(second.requests.filter((r) => r.includes('TREE#'))).toEqual([]);
    expect(second.requests.length).toBeLessThanOrEqual(6);
  });

  it('offers no link for a move from after the period’s open date (the period keeps its tree)', async () => {
    // Arrange
    const registry = createRegistryDeps(stack.runtime);
    await addCommittee(registry, { id: 'khoi', name: 'Đảng ủy Khối các cơ quan tỉnh', by: 'cli' });
    await moveCommittee(registry, { id: stack.config.COMMITTEE_ID, parentId: 'khoi', from: '2026-11-16' });
    aMinuteLater();
    // Act
    const { html } = await periodPage();
    // Assess
    expect(html).not.toContain(LINK);
  });

  it('offers the link once it has a parent on the period’s open date (shown within a minute)', async () => {
    // Arrange: the move dated on the open date itself.
    const registry = createRegistryDeps(stack.runtime);
    await moveCommittee(registry, { id: stack.config.COMMITTEE_ID, parentId: 'khoi', from: '2026-11-15' });
    // Act
    const cached = await periodPage();
    aMinuteLater();
    const read = await periodPage();
    // Assess: the kept links for the rest of the minute, then the move.
    expect(cached.html).not.toContain(LINK);
    expect(read.html).toContain(
      `<a class="button" href="/admin/plans/${PLAN}/${YEAR}/report-up">${LINK}</a>`,
    );
  });
});
