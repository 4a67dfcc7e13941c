/**
 * The committee's digests and export notices go to every member as the list stands when they are
 * queued (shared/committee/committee-mail.ts, wired into the exporter's and the scan's mail
 * queue); the units' e-mails are left alone.
 */
import { describe, expect, it } from 'vitest';
import { mailToMembers } from '#shared/committee/committee-mail.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { MemoryMemberStore } from '#test/support/memory/member-store.ts';
import { MemoryTables } from '#test/support/memory/table.ts';

const CONFIGURED = ['vanphong@so.example.vn'];

function message(
  template: 'digest' | 'export-ready' | 'sign-in' | 'reminder',
  unitId = 'committee',
): MailMessage {
  // Only the envelope matters here: the data is not read.
  return {
    template,
    key: `p#2026#${unitId}#${template}`,
    planId: 'p',
    year: 2026,
    unitId,
    to: unitId === 'committee' ? CONFIGURED : ['cb-a@example.org'],
    cc: [],
    data: {},
  } as unknown as MailMessage;
}

describe('committee mail to every member', () => {
  it('addresses digests and export notices to every member, viewers included, in one e-mail each', async () => {
    // Prepare
    const members = new MemoryMemberStore(new MemoryTables().plans);
    for (const [email, role] of [
      ['vanphong@so.example.vn', 'admin'],
      ['bithu@so.example.vn', 'viewer'],
    ] as const) {
      await members.put({ email, role, addedBy: 'cli', addedAt: '2026-11-29T02:00:00.000Z' }, 'absent');
    }
    const queued: MailMessage[] = [];
    const queue = mailToMembers({ enqueue: async (m) => void queued.push(...m) }, members);
    // Act
    await queue.enqueue([message('digest'), message('reminder', 'cb-a'), message('export-ready')]);
    await queue.enqueue([message('sign-in')]);
    // Assess
    expect(queued.map((m) => [m.template, m.to])).toEqual([
      ['digest', ['bithu@so.example.vn', 'vanphong@so.example.vn']],
      ['reminder', ['cb-a@example.org']],
      ['export-ready', ['bithu@so.example.vn', 'vanphong@so.example.vn']],
      ['sign-in', CONFIGURED],
    ]);
  });

  it('keeps the configured addresses while the list is empty, and reads no list for unit mail', async () => {
    // Prepare
    let reads = 0;
    const queued: MailMessage[] = [];
    const queue = mailToMembers(
      { enqueue: async (m) => void queued.push(...m) },
      {
        list: async () => {
          reads++;
          return [];
        },
      },
    );
    // Act
    await queue.enqueue([message('reminder', 'cb-a')]);
    await queue.enqueue([message('digest')]);
    // Assess
    expect(reads).toBe(1);
    expect(queued.map((m) => m.to)).toEqual([['cb-a@example.org'], CONFIGURED]);
  });
});
