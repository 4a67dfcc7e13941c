/**
 * Every committee's daily digest reaches its own members (docs/tenancy.md "The planner fans
 * out"): a committee other than the first has no configured addresses, so its digest goes to its
 * member list (admins and viewers); one with no member gets none (and fails nothing); the first
 * committee keeps its configured addresses while its own list is empty. Through the local path:
 * the tick's handler → each committee's planner run → mail queue → mailer → SES emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { runLocalPlanner } from '#local/invoke-planner.ts';
import { inviteMember } from '#shared/committee/members.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, type StoredEmail, storedEmails } from '#test/support/mail.ts';
import {
  at8,
  CapturingMailQueue,
  committeePlan,
  teeQueue,
  unitIds,
  unitsCsv,
} from '#test/support/planner.ts';

const CHILD = 'dus-con';
const EMPTY = 'dus-trong';
const CHILD_ADMIN = 'bithu@dus-con.example.vn';
const CHILD_VIEWER = 'theodoi@dus-con.example.vn';

describe('the daily digest reaches every committee’s own members', () => {
  let stack: TestStack;
  const scoped = new Map<string, Runtime>();

  /**
   * One day as the cron runs it (the tick, every committee's run), every e-mail delivered by the
   * mailer to the SES emulator: the digests the emulator got, and the digests as queued (the
   * emulator's SES v1 API keeps only the first address of a list, so the whole list is read
   * from the queue). No committee's run may fail.
   */
  async function day(date: string): Promise<{ sent: StoredEmail[]; queued: MailMessage[] }> {
    await clearEmails(stack.mailUrl);
    const capture = new CapturingMailQueue();
    await runLocalPlanner({ ...stack.runtime, mailQueue: teeQueue(capture, stack.mailQueue) }, at8(date));
    await stack.mailQueue.drain();
    const sent = await storedEmails(stack.mailUrl);
    return {
      sent: sent.filter((m) => m.subject.includes('Tình hình nộp báo cáo')),
      queued: capture.messages.filter((m) => m.template === 'digest'),
    };
  }
  const digestOf = <T extends { subject: string } | MailMessage>(mails: T[], planId: string): T[] =>
    mails.filter((m) =>
      'subject' in m ? m.subject.startsWith(`[${planId.toUpperCase()}-KH/ĐU]`) : m.planId === planId,
    );

  beforeAll(async () => {
    stack = await startTestStack();
    const registry = createRegistryDeps(stack.runtime);
    const root = stack.config.COMMITTEE_ID;
    // The first committee: a plan, its configured address, no member list yet.
    await importUnits(stack.deps, unitsCsv(unitIds('goc', 1, 2)));
    await stack.deps.plans.putPlan(committeePlan('kh-goc'));
    for (const id of [CHILD, EMPTY]) {
      const committee = await addCommittee(registry, {
        id,
        name: `Đảng ủy ${id}`,
        parentId: root,
        by: 'test',
      });
      const runtime = scopeRuntime(stack.runtime, committee);
      scoped.set(id, runtime);
      const deps = createDeps(runtime);
      await importUnits(deps, unitsCsv(unitIds(id, 1, 2)));
      await deps.plans.putPlan(committeePlan(`kh-${id}`));
    }
    // The child's members: an admin (as `committee add --admin` names one) and a viewer.
    const members = createMemberDeps(scoped.get(CHILD)!);
    await inviteMember(members, { email: CHILD_ADMIN, role: 'admin' }, 'cli', { notify: false });
    await inviteMember(members, { email: CHILD_VIEWER, role: 'viewer' }, 'cli', { notify: false });
    // The open day (no digest on it).
    expect((await day('2026-11-15')).queued).toEqual([]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('sends the child committee’s weekly digest to its admin and viewer, in its own name', async () => {
    // Act: Monday 16/11, the first weekly digest (runLocalPlanner throws if any run failed).
    const { sent, queued } = await day('2026-11-16');

    // Assess: the child's admin got it from the mailer, in the child's name.
    const child = digestOf(sent, `kh-${CHILD}`);
    expect(child).toHaveLength(1);
    expect(child[0]!.destination.to).toEqual([CHILD_ADMIN]);
    expect(child[0]!.subject).toContain('0/2 đơn vị đã nộp');
    expect(child[0]!.body.text).toContain(`Đảng ủy ${CHILD}`);
    // One e-mail to the admin and the viewer alike.
    expect(digestOf(queued, `kh-${CHILD}`).map((m) => [...m.to].sort())).toEqual([
      [CHILD_ADMIN, CHILD_VIEWER],
    ]);
    // A committee with no member gets none, and its run fails nothing.
    expect(digestOf(queued, `kh-${EMPTY}`)).toEqual([]);
    // The first committee as before: its configured address while its own list is empty.
    expect(digestOf(queued, 'kh-goc').map((m) => m.to)).toEqual([stack.config.COMMITTEE_EMAILS]);
    expect(digestOf(sent, 'kh-goc').map((m) => m.destination.to)).toEqual([stack.config.COMMITTEE_EMAILS]);
    expect(sent).toHaveLength(2);
  });

  it('follows the member list as it stands, and the first committee’s list once it has one', async () => {
    // Prepare: the child's viewer leaves; the first committee's list is written (its first admin
    // plus a viewer), as the first sign-in and an invitation do.
    const childMembers = createMemberDeps(scoped.get(CHILD)!);
    await childMembers.members.remove(CHILD_VIEWER, 'viewer');
    const rootMembers = createMemberDeps(stack.runtime);
    await inviteMember(rootMembers, { email: 'theodoi@goc.example.vn', role: 'viewer' }, 'cli', {
      notify: false,
    });

    // Act: Monday 23/11.
    const { sent, queued } = await day('2026-11-23');

    // Assess
    expect(digestOf(queued, `kh-${CHILD}`).map((m) => m.to)).toEqual([[CHILD_ADMIN]]);
    expect(digestOf(sent, `kh-${CHILD}`).map((m) => m.destination.to)).toEqual([[CHILD_ADMIN]]);
    expect(digestOf(queued, `kh-${EMPTY}`)).toEqual([]);
    expect(digestOf(queued, 'kh-goc').map((m) => [...m.to].sort())).toEqual([
      [...stack.config.COMMITTEE_EMAILS, 'theodoi@goc.example.vn'].sort(),
    ]);
  });
});
