/**
 * Importing a plan from the web app, in two stateless steps: read the document into a preview
 * (nothing stored: the form carries every field back), then save the fields the committee
 * checked and corrected. A plan that exists under the same id is only replaced once the
 * committee has seen what changes: the save names the version it was shown.
 */
import type { Deps } from '#shared/deps.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { ConflictError } from '#shared/errors.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import type { PlanDraft } from '#shared/plans/parse-plan.ts';
import { diffPlans, type PlanDiff } from '#shared/plans/plan-diff.ts';
import {
  FIELD_OF_PART,
  type FieldErrors,
  formatDayMonthVi,
  inputFromDraft,
  type PlanField,
  type PlanInput,
  PlanInputError,
  planFromInput,
  validatePlanInput,
} from '#shared/plans/plan-input.ts';
import { readPlanDraft } from '#shared/plans/read-plan-document.ts';
import { defaultCalendar } from '#shared/plans/stored-plans.ts';

/** What was read from a document, as the preview form shows it. */
export interface ImportPreview {
  fileName: string;
  draft: PlanDraft;
  /** The form's values: what was read, the deadline of the existing plan or the default. */
  input: PlanInput;
  /** Form fields the reader could not fill: shown empty and marked. */
  missing: PlanField[];
  /** Problems of the values read (e.g. a title over the limit), beside the missing ones. */
  errors: FieldErrors;
  /** The id the plan would be saved under; null while its number is missing or invalid. */
  planId: string | null;
  /** The stored plan with that id, which saving would update. */
  existing: Plan | null;
  /** What saving as read would change in `existing`; null for a new plan or invalid fields. */
  diff: PlanDiff | null;
}

/**
 * Reads a plan document (.txt, .docx, .pdf through `reader`) tolerantly and compares it with the plan of the same id.
 * Stores nothing.
 * @throws PlanDocumentError when the file cannot be read at all (type, encoding, a corrupt or
 *   oversized Word archive); PayloadTooLargeError over the size limits.
 */
export async function previewPlanImport(
  deps: Deps,
  bytes: Uint8Array,
  fileName: string,
  reader?: DocumentReader,
): Promise<ImportPreview> {
  const draft = await readPlanDraft(bytes, fileName, reader);
  const missing = draft.missing.map((part) => FIELD_OF_PART[part]);
  // The deadline written in the document ("trước ngày 30/11") wins over the default.
  let input = inputFromDraft(
    draft,
    fileName,
    draft.deadline ?? defaultCalendar(deps.settings.timeZone).deadline,
  );
  let review = await reviewPlanInput(deps, input);
  if (review.existing) {
    // A re-import keeps the committee's calendar: the form starts from the stored deadline.
    input = { ...input, deadline: formatDayMonthVi(review.existing.calendar.deadline) };
    review = await reviewPlanInput(deps, input);
  }
  const errors = Object.fromEntries(
    Object.entries(review.errors).filter(([field]) => !missing.includes(field as PlanField)),
  );
  return { fileName: input.sourceFileName, draft, input, missing, errors, ...pick(review) };
}

/** The fields checked against the stored plan: problems, the id, the plan it would replace, the diff. */
export interface PlanReview {
  errors: FieldErrors;
  planId: string | null;
  existing: Plan | null;
  diff: PlanDiff | null;
}

/**
 * Validates fields without saving them and compares them with the plan of the same id (as the
 * preview shows them again after a refused save). Never throws for invalid fields.
 */
export async function reviewPlanInput(deps: Deps, input: unknown): Promise<PlanReview> {
  let valid: ReturnType<typeof validatePlanInput>;
  try {
    valid = validatePlanInput(input);
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    return { errors: error.fields, planId: null, existing: null, diff: null };
  }
  const existing = (await deps.plans.getPlan(valid.planId)) ?? null;
  const next = planFromInput(
    valid,
    existing ?? undefined,
    deps.clock.now().toISOString(),
    deps.settings.timeZone,
  );
  return { errors: {}, planId: valid.planId, existing, diff: existing ? diffPlans(existing, next) : null };
}

/**
 * A save that would replace a plan the committee has not reviewed: a plan of that id exists
 * and is not the version the preview showed (it was created or changed since, or the edited
 * number and date now name another plan). HTTP 409; nothing was saved.
 */
export class PlanReviewNeededError extends ConflictError {
  constructor(
    readonly existing: Plan,
    readonly diff: PlanDiff,
  ) {
    super(
      `Plan ${existing.id} exists (updated ${existing.updatedAt}) and was not reviewed`,
      `Kế hoạch số ${existing.number} đã có; hãy xem những thay đổi rồi lưu lại.`,
    );
  }
}

export interface SavePlanResult {
  plan: Plan;
  /** false when a plan with the same id was updated. */
  created: boolean;
}

/**
 * Saves a plan from its edited fields. A new plan gets the default calendar with the given
 * deadline; an existing one (same number and year) keeps its calendar (but the deadline given),
 * its recipient units and its import date.
 *
 * @param reviewed the `updatedAt` of the stored plan whose changes the committee saw, or null
 *   when it saw none (a new plan).
 * @throws PlanInputError (400) naming each invalid field; PlanReviewNeededError (409) when a plan
 *   of that id exists in another version than `reviewed`. Nothing is saved then.
 */
export async function savePlanInput(
  deps: Deps,
  input: unknown,
  reviewed: string | null,
): Promise<SavePlanResult> {
  const valid = validatePlanInput(input);
  const existing = await deps.plans.getPlan(valid.planId);
  const plan = planFromInput(valid, existing, deps.clock.now().toISOString(), deps.settings.timeZone);
  if (existing && existing.updatedAt !== reviewed) {
    throw new PlanReviewNeededError(existing, diffPlans(existing, plan));
  }
  // Between the read and the write another save may land (two people saving the same plan
  // within milliseconds): the last one wins, as with `baocao plan import`.
  await deps.plans.putPlan(plan);
  return { plan, created: !existing };
}

function pick(review: PlanReview): Pick<ImportPreview, 'planId' | 'existing' | 'diff'> {
  return { planId: review.planId, existing: review.existing, diff: review.diff };
}
