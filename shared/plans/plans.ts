import type { Deps } from '#shared/deps.ts';
import { planIdFor } from '#shared/domain/ids.ts';
import type { ParsedPlan, Plan } from '#shared/domain/plan.ts';
import { PlanDocumentError } from '#shared/errors.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import { notAPlan, type PlanDraft, type RequiredPlanPart } from '#shared/plans/parse-plan.ts';
import { readPlanDraft } from '#shared/plans/read-plan-document.ts';
import { defaultCalendar } from '#shared/plans/stored-plans.ts';

// The stored plans' reads live apart (stored-plans.ts), so that what only reads plans does not
// bundle the document readers (yauzl, saxes); they are re-exported here for the callers of old.
export { defaultCalendar, getPlan, listPlans } from '#shared/plans/stored-plans.ts';

export interface ImportPlanResult {
  plan: Plan;
  /** false when a plan with the same number and year existed and was updated. */
  created: boolean;
  /** What the document gave, field by field, with where each was read. */
  draft: PlanDraft;
  /** Required parts the document lacked, saved with a default (only with `allowIncomplete`). */
  defaulted: RequiredPlanPart[];
}

export interface ImportPlanOptions {
  /**
   * Save a plan whose title, issuer, task groups or reporting frequency could not be read, with
   * defaults (no title text, the committee as issuer, no task groups, yearly), for a person to
   * complete later; the number is needed all the same (it makes the plan's id).
   */
  allowIncomplete?: boolean;
  /** Reads a .pdf or .docx (absent: such a file is refused with a way onward). */
  reader?: DocumentReader | undefined;
}

/**
 * Imports a plan document (.txt, .docx or .pdf). The document is parsed in full before anything
 * is written; a document that is not a plan throws PlanDocumentError (naming every part missing)
 * and stores nothing. Re-importing updates the parsed fields and keeps the committee's calendar
 * and recipients; a new plan takes the reporting deadline its text gives ("trước ngày 30/11").
 */
export async function importPlan(
  deps: Deps,
  bytes: Uint8Array,
  fileName: string,
  options: ImportPlanOptions = {},
): Promise<ImportPlanResult> {
  const draft = await readPlanDraft(bytes, fileName, options.reader);
  const defaulted = draft.missing.filter((part) => part !== 'number');
  if (!draft.number) throw notAPlan(draft.missing);
  if (draft.missing.length > 0 && !options.allowIncomplete) {
    const refusal = notAPlan(draft.missing);
    throw new PlanDocumentError(
      refusal.message,
      refusal.missing,
      `${refusal.userMessage} (thêm --allow-incomplete để vẫn lưu rồi bổ sung sau)`,
    );
  }
  const parsed: ParsedPlan = {
    number: draft.number,
    date: draft.date,
    title: draft.title ?? '',
    issuer: draft.issuer ?? deps.settings.committeeName,
    superior: draft.superior,
    taskGroups: draft.taskGroups,
    recipients: draft.recipients,
    reportingFrequency: draft.reportingFrequency ?? 'yearly',
  };
  const id = planIdFor(parsed.number, parsed.date);
  const now = deps.clock.now().toISOString();
  const existing = await deps.plans.getPlan(id);
  const calendar = existing?.calendar ?? defaultCalendar(deps.settings.timeZone);
  const plan: Plan = {
    ...parsed,
    id,
    calendar: existing || !draft.deadline ? calendar : { ...calendar, deadline: draft.deadline },
    recipientUnitIds: existing?.recipientUnitIds ?? null,
    sourceFileName: baseName(fileName),
    importedAt: existing?.importedAt ?? now,
    updatedAt: now,
  };
  await deps.plans.putPlan(plan);
  return { plan, created: !existing, draft, defaulted: draft.missing.length > 0 ? defaulted : [] };
}

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}
