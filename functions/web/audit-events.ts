import { parseForm } from '#functions/http/request.ts';
import type { AuditEventKind } from '#shared/audit/events.ts';
import type { AuditTarget } from '#shared/audit/record.ts';
import type { Result, SignedInContext, SignedInRoute } from './admin-context.ts';

/**
 * The committee's recorded actions (docs/audit.md, "What is logged"): for each signed-in route
 * that changes something or hands out a file, the event kind it records once it has succeeded
 * ({@link succeeded}), with the member who acted, the request id and the client IP. A refused
 * action (bad input, a conflict: 4xx) or a preview changes nothing and records nothing.
 */
export const COMMITTEE_AUDIT_RULES: Partial<Record<SignedInRoute, AuditRule>> = {
  // Members.
  inviteMember: { kind: 'member.changed', action: 'invite' },
  apiInviteMember: { kind: 'member.changed', action: 'invite' },
  memberRole: { kind: 'member.changed', action: 'role' },
  apiMemberRole: { kind: 'member.changed', action: 'role' },
  removeMember: { kind: 'member.changed', action: 'remove' },
  apiRemoveMember: { kind: 'member.changed', action: 'remove' },
  // Units and who reports on a plan.
  addUnit: { kind: 'unit.changed', action: 'add' },
  apiAddUnit: { kind: 'unit.changed', action: 'add' },
  editUnit: { kind: 'unit.changed', action: 'edit' },
  apiEditUnit: { kind: 'unit.changed', action: 'edit' },
  retireUnit: { kind: 'unit.changed', action: 'retire' },
  apiRetireUnit: { kind: 'unit.changed', action: 'retire' },
  reinstateUnit: { kind: 'unit.changed', action: 'reinstate' },
  apiReinstateUnit: { kind: 'unit.changed', action: 'reinstate' },
  importUnits: { kind: 'unit.changed', action: 'import' },
  apiImportUnits: { kind: 'unit.changed', action: 'import', confirmed: true },
  changePlanRecipients: { kind: 'plan.changed', action: 'recipients' },
  apiChangePlanRecipients: { kind: 'plan.changed', action: 'recipients', confirmed: true },
  // Plans and periods.
  savePlan: { kind: 'plan.changed', action: 'save' },
  apiSavePlan: { kind: 'plan.changed', action: 'save' },
  planCalendar: { kind: 'plan.changed', action: 'calendar' },
  apiPlanCalendar: { kind: 'plan.changed', action: 'calendar' },
  openPeriodNow: { kind: 'plan.changed', action: 'open-period' },
  apiOpenPeriod: { kind: 'plan.changed', action: 'open-period' },
  // A unit in a period: its link, its deadline, its files; the exports.
  resend: { kind: 'link.resent', action: 'resend' },
  apiResend: { kind: 'link.resent', action: 'resend' },
  revoke: { kind: 'link.revoked', action: 'revoke' },
  apiRevoke: { kind: 'link.revoked', action: 'revoke' },
  extension: { kind: 'deadline.extended', action: 'extend' },
  apiExtension: { kind: 'deadline.extended', action: 'extend' },
  unitFile: { kind: 'download.file', action: 'download' },
  apiUnitFile: { kind: 'download.file', action: 'download' },
  startExport: { kind: 'export.started', action: 'start' },
  apiStartExport: { kind: 'export.started', action: 'start' },
  exportFile: { kind: 'download.export', action: 'download' },
  apiExportFile: { kind: 'download.export', action: 'download' },
};

/** What a route records; `confirmed`: only when its body confirms (else it answered a preview). */
interface AuditRule {
  kind: AuditEventKind;
  action: string;
  confirmed?: true;
}

type Handler = (params: never, context: never) => Promise<Result>;

/**
 * Whether an answer is an action done: under /api/, any answer under 400 (with `confirm` where
 * the route previews without it); for a page, a redirect (a page's action that succeeded returns
 * to a page with `?done=…`, a download redirects to the file; a preview or a refusal is a page).
 */
function succeeded(rule: AuditRule, result: Result, context: SignedInContext): boolean {
  const status = result.statusCode ?? 200;
  if (status >= 400) return false;
  if (!context.req.path.startsWith('/api/')) return status >= 300;
  if (!rule.confirmed) return true;
  const confirm = context.form?.fields.confirm ?? bodyFields(context).confirm;
  return confirm === true || confirm === 'true' || confirm === '1';
}

/**
 * The same handlers, each with a rule in {@link COMMITTEE_AUDIT_RULES} recording its event after
 * it succeeded. A failed append fails the request (500): an action is never answered as done
 * without its record.
 */
export function audited<H extends { readonly [name: string]: Handler }>(handlers: H): H {
  const out: Record<string, Handler> = { ...handlers };
  for (const [name, handler] of Object.entries(handlers)) {
    const rule = COMMITTEE_AUDIT_RULES[name as SignedInRoute];
    if (!rule) continue;
    const run = handler as unknown as (
      params: Record<string, unknown>,
      context: SignedInContext,
    ) => Promise<Result>;
    out[name] = (async (params: Record<string, unknown>, context: SignedInContext) => {
      const result = await run(params, context);
      if (succeeded(rule, result, context)) {
        const done = doneOf(result);
        await context.deps.audit.record({
          kind: rule.kind,
          actor: { type: 'member', id: context.session.email },
          target: targetOf(params, context, rule.kind),
          requestId: context.req.requestId,
          clientIp: context.req.sourceIp,
          details: { action: rule.action, ...(done ? { result: done } : {}) },
        });
      }
      return result;
    }) as unknown as Handler;
  }
  return out as H;
}

/** The route's parameters, and the id or address the body names (a unit added, a member invited). */
function targetOf(
  params: Record<string, unknown>,
  context: SignedInContext,
  kind: AuditEventKind,
): AuditTarget {
  const target: AuditTarget = {};
  if (typeof params.planId === 'string') target.planId = params.planId;
  if (typeof params.year === 'number') target.year = params.year;
  if (typeof params.unitId === 'string') target.unitId = params.unitId;
  if (typeof params.email === 'string') target.memberEmail = params.email;
  if (typeof params.exportId === 'string') target.ref = params.exportId;
  const body = bodyFields(context);
  if (kind === 'unit.changed' && !target.unitId && typeof body.id === 'string' && body.id) {
    target.unitId = body.id;
  }
  if (kind === 'member.changed' && !target.memberEmail && typeof body.email === 'string' && body.email) {
    target.memberEmail = body.email.trim().toLowerCase();
  }
  return target;
}

function bodyFields(context: SignedInContext): Record<string, unknown> {
  const { req } = context;
  if (req.method !== 'POST' || !req.body) return {};
  try {
    if (req.path.startsWith('/api/')) {
      const parsed: unknown = JSON.parse(req.body);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    }
    return parseForm(req.body);
  } catch {
    return {};
  }
}

/** The `?done=…` notice of a page's redirect: what the action did (`role-unchanged`, …). */
function doneOf(result: Result): string | undefined {
  const location = result.headers?.Location ?? result.headers?.location;
  if (typeof location !== 'string' || !location.startsWith('/')) return undefined;
  return new URL(location, 'http://x').searchParams.get('done') ?? undefined;
}
