/**
 * Which CLI commands record what (cli/audit-trail.ts): the target from the arguments by their
 * name, the actor `system`/`cli`, a few options as details; commands that only show something
 * record nothing. The real executable is driven in test/integration/audit-events-coverage.test.ts.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_AUDIT_RULES, cliAuditEvent } from '#cli/audit-trail.ts';
import { isAuditEventKind } from '#shared/audit/events.ts';

const args = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const PERIOD: [string, string][] = [
  ['kế-hoạch', '12-kh-dus-2025'],
  ['năm', '2026'],
  ['đơn-vị', 'cb-a'],
];

describe('cliAuditEvent', () => {
  it('names the plan, the year and the unit from the arguments, by the system part "cli"', () => {
    expect(cliAuditEvent('period extend', args(PERIOD), { until: '2026-12-20' })).toEqual({
      kind: 'deadline.extended',
      actor: { type: 'system', id: 'cli' },
      target: { planId: '12-kh-dus-2025', year: 2026, unitId: 'cb-a' },
      details: { action: 'extend', until: '2026-12-20' },
    });
  });

  it.each([
    [{}, 'link.issued', 'print'],
    [{ resend: true }, 'link.resent', 'resend'],
    [{ revoke: true, resend: true }, 'link.revoked', 'revoke'],
  ])('link with %o records %s', (opts, kind, action) => {
    expect(cliAuditEvent('link', args(PERIOD), opts)).toMatchObject({ kind, details: { action } });
  });

  it('keeps a file’s name only, and a member’s address in lower case', () => {
    expect(cliAuditEvent('units import', args([['tệp', '/home/vp/Tài liệu/don-vi.csv']]), {})).toMatchObject({
      kind: 'unit.changed',
      target: { ref: 'don-vi.csv' },
    });
    expect(
      cliAuditEvent('member add', args([['e-mail', ' BiThu@Example.ORG ']]), { role: 'viewer', mail: true }),
    ).toMatchObject({
      kind: 'member.changed',
      target: { memberEmail: 'bithu@example.org' },
      details: { action: 'add', role: 'viewer' },
    });
  });

  it('records nothing for a command that only shows something, nor for an unknown one', () => {
    expect(cliAuditEvent('plan calendar', args([['kế-hoạch', 'kh']]), {})).toBeUndefined();
    expect(cliAuditEvent('plan calendar', args([['kế-hoạch', 'kh']]), { deadline: '12-15' })).toMatchObject({
      kind: 'plan.changed',
      details: { action: 'calendar', deadline: '12-15' },
    });
    for (const path of ['status', 'plan show', 'units list', 'member list', 'audit list', 'tick']) {
      expect(cliAuditEvent(path, [], {})).toBeUndefined();
    }
  });

  it('ignores a year that is not four digits, and keeps only short option values', () => {
    const event = cliAuditEvent(
      'period open',
      args([
        ['kế-hoạch', 'kh'],
        ['năm', '20x6'],
      ]),
      { deadline: '2026-12-15', out: '/tmp/x.zip' },
    );
    expect(event?.target).toEqual({ planId: 'kh' });
    expect(event?.details).toEqual({ action: 'open-period', deadline: '2026-12-15' });
  });

  it('knows only kinds of the catalogue, for commands the program has', () => {
    for (const [path, rule] of Object.entries(CLI_AUDIT_RULES)) {
      const kinds =
        typeof rule.kind === 'string'
          ? [rule.kind]
          : [rule.kind({}), rule.kind({ resend: true }), rule.kind({ revoke: true })];
      for (const kind of kinds) expect(isAuditEventKind(kind), `${path}: ${kind}`).toBe(true);
    }
  });
});

describe('auditCliActions', () => {
  it('runs after an action that finished only', async () => {
    // A commander program with the same hook shape: the postAction hook does not run after a throw.
    const ran: string[] = [];
    const program = new Command('x').exitOverride();
    program.hook('postAction', (_p, c) => {
      ran.push(c.name());
    });
    program.command('ok').action(() => {});
    program.command('fails').action(() => {
      throw new Error('no');
    });
    await program.parseAsync(['node', 'x', 'ok']);
    await expect(program.parseAsync(['node', 'x', 'fails'])).rejects.toThrow('no');
    expect(ran).toEqual(['ok']);
  });
});
