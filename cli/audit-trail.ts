/**
 * The CLI's changes in the audit log (docs/audit.md, "What is logged"): each command below that
 * finished records one event, as the committee's web routes do (functions/web/audit-events.ts),
 * with the actor `system`/`cli`. A command that failed or only showed something records nothing;
 * `tick` (the planner) and `signatures recheck` (each file checked) record their own events.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { AuditEventKind } from '#shared/audit/events.ts';
import type { AuditEvent, AuditTarget } from '#shared/audit/ports.ts';
import { connect } from './connect.ts';
import { globals } from './output.ts';

type Options = Record<string, unknown>;

interface CliAuditRule {
  /** The kind recorded (may depend on the options, e.g. `link --revoke`). */
  kind: AuditEventKind | ((opts: Options) => AuditEventKind);
  action: string | ((opts: Options) => string);
  /** Records only when this holds (e.g. `plan calendar` with no option only shows the calendar). */
  when?: (opts: Options) => boolean;
}

const CALENDAR_OPTIONS = ['deadline', 'openDays', 'closeDays', 'reminders', 'timeZone'];

/** The recorded commands, by their path (`member add`). */
export const CLI_AUDIT_RULES: Readonly<Record<string, CliAuditRule>> = {
  'plan import': { kind: 'plan.changed', action: 'import' },
  'plan calendar': {
    kind: 'plan.changed',
    action: 'calendar',
    when: (opts) => CALENDAR_OPTIONS.some((name) => opts[name] !== undefined),
  },
  'plan recipients': { kind: 'plan.changed', action: 'recipients' },
  'period open': { kind: 'plan.changed', action: 'open-period' },
  'period extend': { kind: 'deadline.extended', action: 'extend' },
  'units import': { kind: 'unit.changed', action: 'import' },
  'units retire': { kind: 'unit.changed', action: 'retire' },
  'units reinstate': { kind: 'unit.changed', action: 'reinstate' },
  'member add': { kind: 'member.changed', action: 'add' },
  'member remove': { kind: 'member.changed', action: 'remove' },
  // Printing a unit's link hands a working link to the operator: it is issued.
  link: {
    kind: (opts) => (opts.revoke ? 'link.revoked' : opts.resend ? 'link.resent' : 'link.issued'),
    action: (opts) => (opts.revoke ? 'revoke' : opts.resend ? 'resend' : 'print'),
  },
  // The pack written to a local file: built by the CLI, no export record.
  export: { kind: 'export.built', action: 'file' },
};

/** Arguments (by their name in the command's help) that name the target. */
const TARGET_ARGUMENTS: Readonly<Record<string, (value: string, target: AuditTarget) => void>> = {
  'kế-hoạch': (v, t) => {
    t.planId = v;
  },
  năm: (v, t) => {
    if (/^\d{4}$/.test(v)) t.year = Number(v);
  },
  'đơn-vị': (v, t) => {
    t.unitId = v;
  },
  'e-mail': (v, t) => {
    t.memberEmail = v.trim().toLowerCase();
  },
  // A file: its name only (never its content, nor the operator's folders).
  tệp: (v, t) => {
    t.ref = basename(v);
  },
};

/** Options kept as details: short values saying what was asked. */
const DETAIL_OPTIONS = ['role', 'until', 'deadline', 'from', 'reason', 'all', 'units', 'resend', 'revoke'];

/**
 * The event a finished command records, or undefined for a command that records none.
 * @param args the command's arguments, by their name in its help (`kế-hoạch`, `năm` …).
 */
export function cliAuditEvent(
  path: string,
  args: readonly { name: string; value: string }[],
  opts: Options,
): AuditEvent | undefined {
  const rule = CLI_AUDIT_RULES[path];
  if (!rule || (rule.when && !rule.when(opts))) return undefined;
  const target: AuditTarget = {};
  for (const { name, value } of args) TARGET_ARGUMENTS[name]?.(value, target);
  const details: Record<string, string | boolean> = {
    action: typeof rule.action === 'function' ? rule.action(opts) : rule.action,
  };
  for (const name of DETAIL_OPTIONS) {
    const value = opts[name];
    if (typeof value === 'string' || typeof value === 'boolean') details[name] = value;
  }
  return {
    kind: typeof rule.kind === 'function' ? rule.kind(opts) : rule.kind,
    actor: { type: 'system', id: 'cli' },
    target,
    details,
  };
}

/** The command's path under the program: `member add`, `link`. */
function pathOf(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Records each finished command of {@link CLI_AUDIT_RULES} (commander's `postAction` hook: it
 * runs only when the action did not throw). A failed append fails the command.
 */
export function auditCliActions(program: Command): void {
  program.hook('postAction', async (_program, command) => {
    const names = command.registeredArguments.map((a) => a.name());
    const args = command.processedArgs.flatMap((value: unknown, i) =>
      typeof value === 'string' && names[i] ? [{ name: names[i], value }] : [],
    );
    const event = cliAuditEvent(pathOf(command), args, command.opts());
    if (!event) return;
    const { deps } = await connect(globals(command));
    await deps.audit.record(event);
  });
}
