/**
 * What saving a plan again would change: field by field, the task groups added, removed,
 * renamed or reordered, and the recipients ("Nơi nhận") added or removed. Shown before a
 * re-imported plan is saved over the stored one.
 *
 * Task groups are matched by their number: a unit's notes are kept per task-group number, so a
 * group whose number changes is, for the notes already given, a group removed and another added
 * (the consolidated report keeps notes of numbers the plan no longer has under their own heading).
 */
import type { DocumentReference, Plan, TaskGroup } from '#shared/domain/plan.ts';

/** The plan fields compared one by one. */
export type ComparedField = 'number' | 'date' | 'title' | 'issuer' | 'reportingFrequency' | 'deadline';

export type FieldChange =
  /** Texts as stored: dates `YYYY-MM-DD` (or null), the deadline `MM-DD`. */
  | { field: ComparedField; before: string | null; after: string | null }
  | { field: 'superior'; before: DocumentReference | null; after: DocumentReference | null };

export interface PlanDiff {
  /** Whether anything at all differs. */
  changed: boolean;
  fields: FieldChange[];
  taskGroups: {
    added: TaskGroup[];
    removed: TaskGroup[];
    /** Same number, another title. */
    renamed: { number: string; before: string; after: string }[];
    /** Numbers of the groups whose body text changed. */
    bodyChanged: string[];
    /** The groups kept are in another order. */
    reordered: boolean;
  };
  recipients: { added: string[]; removed: string[] };
}

/** The parts of a plan that a save replaces. */
export type PlanContent = Pick<
  Plan,
  'number' | 'date' | 'title' | 'issuer' | 'superior' | 'taskGroups' | 'recipients' | 'reportingFrequency'
> & { calendar: Pick<Plan['calendar'], 'deadline'> };

/** The differences from `before` (stored) to `after` (about to be saved). */
export function diffPlans(before: PlanContent, after: PlanContent): PlanDiff {
  const fields: FieldChange[] = [];
  const compare = (field: ComparedField, a: string | null, b: string | null) => {
    if (a !== b) fields.push({ field, before: a, after: b });
  };
  compare('number', before.number, after.number);
  compare('date', before.date, after.date);
  compare('title', before.title, after.title);
  compare('issuer', before.issuer, after.issuer);
  if (!sameReference(before.superior, after.superior)) {
    fields.push({ field: 'superior', before: before.superior, after: after.superior });
  }
  compare('reportingFrequency', before.reportingFrequency, after.reportingFrequency);
  compare('deadline', before.calendar.deadline, after.calendar.deadline);

  const old = new Map(before.taskGroups.map((group) => [group.number, group]));
  const next = new Map(after.taskGroups.map((group) => [group.number, group]));
  const kept = after.taskGroups.filter((group) => old.has(group.number));
  const keptBefore = before.taskGroups.filter((group) => next.has(group.number)).map((g) => g.number);
  const taskGroups: PlanDiff['taskGroups'] = {
    added: after.taskGroups.filter((group) => !old.has(group.number)),
    removed: before.taskGroups.filter((group) => !next.has(group.number)),
    renamed: kept
      .filter((group) => old.get(group.number)!.title !== group.title)
      .map((group) => ({ number: group.number, before: old.get(group.number)!.title, after: group.title })),
    bodyChanged: kept
      .filter((group) => old.get(group.number)!.body !== group.body)
      .map((group) => group.number),
    reordered: kept.some((group, index) => keptBefore[index] !== group.number),
  };

  const oldRecipients = new Set(before.recipients);
  const newRecipients = new Set(after.recipients);
  const recipients = {
    added: after.recipients.filter((entry) => !oldRecipients.has(entry)),
    removed: before.recipients.filter((entry) => !newRecipients.has(entry)),
  };

  const changed =
    fields.length > 0 ||
    taskGroups.added.length + taskGroups.removed.length + taskGroups.renamed.length > 0 ||
    taskGroups.bodyChanged.length > 0 ||
    taskGroups.reordered ||
    recipients.added.length + recipients.removed.length > 0 ||
    // The same entries in another order.
    before.recipients.join('\n') !== after.recipients.join('\n');
  return { changed, fields, taskGroups, recipients };
}

function sameReference(a: DocumentReference | null, b: DocumentReference | null): boolean {
  return a === b || (a !== null && b !== null && a.number === b.number && a.date === b.date);
}
