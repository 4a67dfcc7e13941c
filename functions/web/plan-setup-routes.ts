import type { FormFile } from '#functions/http/multipart.ts';
import { parseForm } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { formatBytes } from '#shared/domain/bytes.ts';
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { ConflictError, PayloadTooLargeError, PlanDocumentError, ValidationError } from '#shared/errors.ts';
import { MAX_REQUEST_BODY_BYTES } from '#shared/input-limits.ts';
import { openPeriodNow, previewOpenPeriod } from '#shared/periods/open-now.ts';
import { listPeriods } from '#shared/periods/periods.ts';
import { type CalendarPatch, updateCalendar } from '#shared/periods/reporting-calendar.ts';
import {
  type ImportPreview,
  PlanReviewNeededError,
  previewPlanImport,
  savePlanInput,
} from '#shared/plans/plan-import.ts';
import { type PlanInput, PlanInputError, parseDayMonthVi } from '#shared/plans/plan-input.ts';
import { getPlan } from '#shared/plans/stored-plans.ts';
import { parseJsonObject, type SignedInContext, type SignedInHandlers } from './admin-context.ts';
import { planInputFromForm } from './plan-form.ts';
import {
  type CalendarForm,
  renderImportForm,
  renderOpenConfirm,
  renderPlan,
  renderPlanPreview,
  renderProblem,
} from './plan-pages.ts';

/**
 * What changes a plan (setup-api), as pages and JSON: the import of a plan document (upload →
 * preview, nothing stored → save of the fields as corrected), the calendar's edit, and opening a
 * period now after a confirmation that lists who will be e-mailed. The plans at a glance are
 * admin-api's: plan-routes.ts.
 */
export const PLAN_SETUP_HANDLERS = {
  planImportPage: async (_, { page }) => htmlResponse(200, renderImportForm(page)),
  planImportPreview: async (_, context) => {
    const file = uploadedFile(context);
    if (!file) return htmlResponse(400, renderImportForm(context.page, NO_FILE));
    let preview: ImportPreview;
    try {
      preview = await previewPlanImport(
        context.deps.core,
        file.bytes,
        file.fileName,
        context.deps.documentReader,
      );
    } catch (error) {
      if (error instanceof PlanDocumentError || error instanceof PayloadTooLargeError) {
        return htmlResponse(
          describeError(error).statusCode,
          renderImportForm(context.page, error.userMessage),
        );
      }
      throw error;
    }
    return htmlResponse(
      200,
      renderPlanPreview(
        { ...preview, reviewedUpdatedAt: reviewedOf(preview), problem: formTooLarge(preview.input) },
        context.page,
      ),
    );
  },
  savePlan: async (_, { req, deps, page }) => {
    const fields = parseForm(req.body);
    const input = planInputFromForm(fields);
    const reviewed = fields.reviewedUpdatedAt || null;
    try {
      const { plan, created } = await savePlanInput(deps.core, input, reviewed);
      return redirect(`${pathFor('plan', { planId: plan.id })}?done=${created ? 'created' : 'updated'}`);
    } catch (error) {
      const again = (status: number, view: Parameters<typeof renderPlanPreview>[0]) =>
        htmlResponse(status, renderPlanPreview(view, page));
      if (error instanceof PlanInputError) {
        return again(400, {
          input,
          missing: [],
          errors: error.fields,
          existing: null,
          diff: null,
          reviewedUpdatedAt: reviewed ?? '',
        });
      }
      if (error instanceof PlanReviewNeededError) {
        return again(409, {
          input,
          missing: [],
          errors: {},
          existing: error.existing,
          diff: error.diff,
          reviewedUpdatedAt: error.existing.updatedAt,
          problem: `${error.userMessage} Những thay đổi so với kế hoạch đã lưu ở ngay dưới đây.`,
        });
      }
      throw error;
    }
  },
  planCalendar: async ({ planId }, { req, deps, page }) => {
    const form = calendarFromForm(parseForm(req.body));
    const plan = await getPlan(deps.core, planId);
    if (form.patch) {
      try {
        await updateCalendar(deps.core, plan.id, form.patch);
        return redirect(`${pathFor('plan', { planId: plan.id })}?done=calendar#lich`);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        form.view.problem = error.userMessage;
      }
    }
    const periods = await listPeriods(deps.core, plan.id);
    return htmlResponse(
      400,
      renderPlan(plan, periods, page, { calendarForm: form.view, now: deps.core.clock.now() }),
    );
  },
  openPeriodConfirm: async ({ planId, year }, { deps, page }) =>
    htmlResponse(200, renderOpenConfirm(await previewOpenPeriod(deps.core, planId, year), page)),
  openPeriodNow: async ({ planId, year }, { deps, page }) => {
    try {
      const result = await openPeriodNow(deps.planner, planId, year);
      const done = result.failures.length > 0 ? 'opened-partial' : 'opened';
      return redirect(`${pathFor('period', { planId: result.period.planId, year })}?done=${done}`);
    } catch (error) {
      if (!(error instanceof ValidationError || error instanceof ConflictError)) throw error;
      return htmlResponse(
        400,
        renderProblem(
          'Không mở được kỳ báo cáo',
          error.userMessage,
          { href: pathFor('plan', { planId }), label: '← Về kế hoạch' },
          page,
        ),
      );
    }
  },

  apiPlanImport: async (_, context) => {
    const file = uploadedFile(context);
    if (!file) throw new ValidationError('No file in the form', [], NO_FILE);
    const preview = await previewPlanImport(
      context.deps.core,
      file.bytes,
      file.fileName,
      context.deps.documentReader,
    );
    const { existing, ...rest } = preview;
    return jsonResponse(200, {
      ...rest,
      existing: existing && { id: existing.id, number: existing.number, updatedAt: existing.updatedAt },
      reviewedUpdatedAt: reviewedOf(preview),
    });
  },
  apiSavePlan: async (_, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const { reviewedUpdatedAt, ...input } = body;
    const reviewed =
      typeof reviewedUpdatedAt === 'string' && reviewedUpdatedAt !== '' ? reviewedUpdatedAt : null;
    try {
      const { plan, created } = await savePlanInput(deps.core, input, reviewed);
      return jsonResponse(created ? 201 : 200, { plan, created });
    } catch (error) {
      if (error instanceof PlanInputError) {
        return jsonResponse(400, {
          error: { code: error.code, message: error.userMessage, fields: error.fields },
        });
      }
      if (error instanceof PlanReviewNeededError) {
        return jsonResponse(409, {
          error: {
            code: error.code,
            message: error.userMessage,
            existing: {
              id: error.existing.id,
              number: error.existing.number,
              updatedAt: error.existing.updatedAt,
            },
            diff: error.diff,
            reviewedUpdatedAt: error.existing.updatedAt,
          },
        });
      }
      throw error;
    }
  },
  apiPlanCalendar: async ({ planId }, { req, deps }) => {
    const body = parseJsonObject(req.body);
    const patch: Record<string, unknown> = { ...body };
    if (typeof body.deadline === 'string') patch.deadline = parseDayMonthVi(body.deadline);
    if (typeof body.reminderDays === 'string') patch.reminderDays = parseReminderDays(body.reminderDays);
    const plan = await updateCalendar(deps.core, planId, patch as CalendarPatch);
    return jsonResponse(200, { planId: plan.id, calendar: plan.calendar });
  },
  apiOpenPreview: async ({ planId, year }, { deps }) => {
    const { plan, toEmail, ...preview } = await previewOpenPeriod(deps.core, planId, year);
    return jsonResponse(200, { planId: plan.id, ...preview, units: toEmail });
  },
  apiOpenPeriod: async ({ planId, year }, { deps }) => {
    const result = await openPeriodNow(deps.planner, planId, year);
    return jsonResponse(result.created ? 201 : 200, result);
  },
} satisfies SignedInHandlers<
  | 'planImportPage'
  | 'planImportPreview'
  | 'savePlan'
  | 'planCalendar'
  | 'openPeriodConfirm'
  | 'openPeriodNow'
  | 'apiPlanImport'
  | 'apiSavePlan'
  | 'apiPlanCalendar'
  | 'apiOpenPreview'
  | 'apiOpenPeriod'
>;

const NO_FILE = 'Hãy chọn một tệp kế hoạch (.docx, .pdf hoặc .txt) rồi bấm “Đọc tài liệu”.';

/**
 * Why the preview form, posted back, would be refused for its size: every field travels
 * percent-encoded (a Vietnamese letter takes up to 9 bytes), and a request body may hold
 * {@link MAX_REQUEST_BODY_BYTES}. Said before the committee edits anything; undefined when it fits.
 */
function formTooLarge(input: PlanInput): string | undefined {
  const texts = [
    ...Object.values(input).filter((v): v is string => typeof v === 'string'),
    ...input.recipients,
    ...input.taskGroups.flatMap((g) => [g.number, g.title, g.body]),
  ];
  // Field names, separators and the empty rows: a few kilobytes at most.
  const size = texts.reduce((sum, text) => sum + encodeURIComponent(text).length, 4096);
  if (size <= MAX_REQUEST_BODY_BYTES) return undefined;
  return (
    `Tài liệu này dài quá để lưu qua trang web (khoảng ${formatBytes(size)}, tối đa ${formatBytes(MAX_REQUEST_BODY_BYTES)}): ` +
    'hãy rút gọn nội dung chi tiết của các nhóm nhiệm vụ, hoặc nhập bằng lệnh baocao plan import.'
  );
}

/** The plan document of a form with a file (field `file`, or the only file). */
function uploadedFile({ form }: SignedInContext): FormFile | undefined {
  return form?.files.find((f) => f.field === 'file') ?? form?.files[0];
}

/** The version the preview shows the changes to: saving it needs no second look. */
function reviewedOf(preview: Pick<ImportPreview, 'existing' | 'diff'>): string {
  return preview.existing && preview.diff ? preview.existing.updatedAt : '';
}

/**
 * The calendar form's fields → the patch for `updateCalendar` (which checks the calendar as a
 * whole), or, when a field cannot even be read as typed, the form again with its problems.
 */
function calendarFromForm(fields: Record<string, string>): { patch?: CalendarPatch; view: CalendarForm } {
  const values = {
    deadline: fields.deadline ?? '',
    openDaysBefore: fields.openDaysBefore ?? '',
    closeDaysAfter: fields.closeDaysAfter ?? '',
    reminderDays: fields.reminderDays ?? '',
  };
  const errors: CalendarForm['errors'] = {};
  const patch: CalendarPatch = {};
  try {
    patch.deadline = parseDayMonthVi(values.deadline);
  } catch (error) {
    errors.deadline = (error as ValidationError).userMessage;
  }
  for (const name of ['openDaysBefore', 'closeDaysAfter'] as const) {
    const text = values[name].trim();
    if (/^\d{1,4}$/.test(text)) patch[name] = Number(text);
    else errors[name] = `“${text.slice(0, 20)}” không phải số ngày: hãy nhập một số nguyên, ví dụ 30.`;
  }
  try {
    patch.reminderDays = parseReminderDays(values.reminderDays);
  } catch (error) {
    errors.reminderDays = (error as ValidationError).userMessage;
  }
  const view: CalendarForm = { values, errors };
  return Object.keys(errors).length > 0 ? { view } : { patch, view };
}

/** Reminder steps as typed: "-14, -7, …" (commas, semicolons or spaces; '' for none). */
function parseReminderDays(text: string): number[] {
  const parts = text
    .replace(/[\u2212\u2013\u2014]/g, '-')
    .split(/[\s,;]+/)
    .filter((part) => part !== '');
  const bad = parts.find((part) => !/^[+-]?\d{1,3}$/.test(part));
  if (bad !== undefined || parts.length > 100) {
    throw new ValidationError(
      `Invalid reminder days: ${text.slice(0, 80)}`,
      [],
      `“${(bad ?? text).slice(0, 20)}” không phải số ngày: hãy ghi các số nguyên cách nhau bằng dấu phẩy, ví dụ ${DEFAULT_REMINDER_DAYS.join(', ')}.`,
    );
  }
  return parts.map(Number);
}
