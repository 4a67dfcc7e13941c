/**
 * The preview form of a plan, as posted (application/x-www-form-urlencoded) → the plan's fields.
 * The form works without JavaScript: each task group is a row `g<i>.*` with its numbering, title,
 * body, a position (`g<i>.position`, shown as i + 1: typing another number moves the group
 * there) and a "xóa" checkbox (`g<i>.remove`); a few empty rows at the end add groups. Removed
 * rows and rows left empty are dropped; a position that is not a whole number keeps the row's place.
 */

import { PLAN_FIELD_LIMITS } from '#shared/input-limits.ts';
import type { PlanInput, TaskGroupInput } from '#shared/plans/plan-input.ts';

/** Empty rows the form offers for new task groups. */
export const EMPTY_GROUP_ROWS = 3;

/**
 * Most rows read from a form: the groups a plan may have, and the empty rows. Rows past it are
 * not read (the form never has them); a plan with more groups is refused by the validation.
 */
export const MAX_GROUP_ROWS = PLAN_FIELD_LIMITS.taskGroups + 1 + EMPTY_GROUP_ROWS;

const ROW_FIELD = /^g(\d{1,3})\.(number|title|body|position|remove)$/;

/** The plan fields of a posted preview form (not validated: see `validatePlanInput`). */
export function planInputFromForm(fields: Record<string, string>): PlanInput {
  const rows = new Map<number, Record<string, string>>();
  for (const [name, value] of Object.entries(fields)) {
    const match = ROW_FIELD.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= MAX_GROUP_ROWS) continue;
    const row = rows.get(index) ?? {};
    row[match[2]!] = value;
    rows.set(index, row);
  }
  const kept = [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .filter(
      ([, row]) => !row.remove && [row.number, row.title, row.body].some((v) => (v ?? '').trim() !== ''),
    )
    .map(([index, row]) => ({ row, index, position: positionOf(row.position, index) }));
  // Rows whose position was left as shown (their own place) keep their order; each moved row is
  // then put at the place it names, lowest first ("3" on the first group: it becomes the third).
  const ordered = kept.filter((r) => r.position === r.index + 1);
  for (const moved of kept
    .filter((r) => r.position !== r.index + 1)
    .sort((a, b) => a.position - b.position)) {
    ordered.splice(Math.min(Math.max(moved.position - 1, 0), ordered.length), 0, moved);
  }
  const taskGroups: TaskGroupInput[] = ordered.map(({ row }) => ({
    number: row.number ?? '',
    title: row.title ?? '',
    body: row.body ?? '',
  }));
  const text = (name: string) => fields[name] ?? '';
  return {
    number: text('number'),
    date: text('date'),
    title: text('title'),
    issuer: text('issuer'),
    superiorNumber: text('superiorNumber'),
    superiorDate: text('superiorDate'),
    taskGroups,
    recipients: text('recipients').split(/\r?\n/),
    reportingFrequency: text('reportingFrequency'),
    deadline: text('deadline'),
    sourceFileName: text('sourceFileName'),
  };
}

/** A row's position as typed (1-based); its own place when it is not a whole number. */
function positionOf(typed: string | undefined, index: number): number {
  const text = (typed ?? '').trim();
  return /^-?\d{1,4}$/.test(text) ? Number(text) : index + 1;
}
