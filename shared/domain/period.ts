import type { FileScanResult } from './scan-result.ts';
import type { FileSignatureResult } from './signature-result.ts';
import type { SubmissionDraft } from './submission.ts';
import type { Unit } from './unit.ts';

/** One yearly reporting period of a plan. All dates are `YYYY-MM-DD` in `timeZone`. */
export interface Period {
  planId: string;
  year: number;
  openDate: string;
  deadline: string;
  closeDate: string;
  timeZone: string;
  status: 'open' | 'closed';
  openedAt: string;
  /**
   * When the "period opened" e-mail of every unit that had not reported was queued (by the
   * planner, or by `baocao period open`); absent until then, so a crash in between is completed
   * by the next tick. From then on a unit assigned later gets its e-mail from `openPeriod`
   * itself (see {@link Assignment.announcedAt}).
   */
  openedMailsQueuedAt?: string | undefined;
  /** When the planner closed the period (the day after its close date). */
  closedAt?: string | undefined;
  /** When the consolidated export was requested (once, from the day after the deadline). */
  exportRequestedAt?: string | undefined;
}

export type ReportStatus = 'on_time' | 'late' | 'missing';

/** One expected unit in one period: its link version and its latest submission. */
export interface Assignment {
  planId: string;
  year: number;
  unitId: string;
  unitName: string;
  /**
   * The committee of this deployment the unit was when it joined the period (units file column
   * `committee`; docs/tenancy.md): the period keeps the tree it had.
   */
  committeeId?: string | undefined;
  email: string;
  cc: string[];
  /** Bumped to revoke the unit's link. */
  linkVersion: number;
  /** Extended deadline `YYYY-MM-DD` granted to this unit, or null. */
  extendedDeadline: string | null;
  status: ReportStatus;
  submittedAt: string | null;
  /** Versions handed out so far (atomic counter; a version may end up with no accepted file). */
  versionCounter: number;
  /** Number of the latest version with at least one accepted file, 0 when none. */
  latestVersion: number;
  /** The accepted files of the latest version (a copy, so the status view needs no second read). */
  files: SubmittedFile[];
  /**
   * Signature results of the latest version's PDFs, by upload id (a copy of the version's, written
   * by the verifier; entries of older versions may linger until the next result: read them
   * through `files`). Absent until a first PDF is checked. See docs/signatures.md.
   */
  signatures?: Record<string, FileSignatureResult> | undefined;
  /**
   * Malware scan results of the latest version's files, by upload id (a copy of the version's;
   * docs/malware-scanning.md). A file without one is still being checked: read the version's.
   */
  scans?: Record<string, FileScanResult> | undefined;
  /**
   * The latest permanent e-mail delivery problem of this unit, if any: SES refused a mail at send
   * time, or reported a permanent bounce, a complaint or a reject afterwards.
   */
  mailProblem?: MailProblem | null | undefined;
  /**
   * When this unit's "period opened" e-mail (its link) was queued. Written `null` with the
   * assignment and set after the enqueue, so a crash in between leaves the unit to be announced
   * by the next `openPeriod` or planner tick. Absent on assignments stored before units were
   * announced one by one: the period's `openedMailsQueuedAt` covers those.
   */
  announcedAt?: string | null | undefined;
  /**
   * Submissions being uploaded, by version number (see {@link SubmissionDraft}); at most
   * {@link MAX_OPEN_DRAFTS}, each dropped once its version is settled.
   */
  drafts?: Record<string, SubmissionDraft> | undefined;
  /** The committee-local day `YYYY-MM-DD` that {@link versionsOnDay} counts. */
  uploadDay?: string | undefined;
  /** New submissions started on {@link uploadDay} (bounded per day). */
  versionsOnDay?: number | undefined;
  /**
   * The link's presign counter (issue 18, shared/uploads/unit-limits.ts): the start (ISO-8601)
   * of its fixed window and the presigns counted in it, written by the grant's own conditional
   * UpdateItem (a refused presign by one of its own). Absent until the first presign.
   */
  presignWindow?: string | undefined;
  presignCount?: number | undefined;
  /**
   * The unit no longer reports in this period from `withdrawn.from` on (it was retired, or taken
   * off the plan's recipients): see {@link isWithdrawn} and docs/units.md. Null or absent: it
   * reports. Its history, versions and files stay.
   */
  withdrawn?: Withdrawal | null | undefined;
}

/** Why an assignment was withdrawn: its unit was retired, or is no longer a plan recipient. */
export type WithdrawalReason = 'retired' | 'not-recipient';

/** An assignment's withdrawal (docs/units.md). */
export interface Withdrawal {
  /** The committee-local date `YYYY-MM-DD` from which the unit no longer reports in the period. */
  from: string;
  reason: WithdrawalReason;
  /** For people: the unit's retirement reason and detail ("sáp nhập: vào Chi bộ A"), if any. */
  detail?: string | undefined;
  /** When it was recorded (ISO-8601). */
  at: string;
}

/**
 * Whether an assignment is withdrawn on the committee-local date `today`: from its withdrawal's
 * date on, never before it (a withdrawal dated in the future changes nothing until then).
 */
export function isWithdrawn(assignment: Pick<Assignment, 'withdrawn'>, today: string): boolean {
  const w = assignment.withdrawn;
  return Boolean(w) && w!.from <= today;
}

/** Most submissions a unit may have in progress at once (keeps the assignment item small). */
export const MAX_OPEN_DRAFTS = 5;

/**
 * A permanent delivery problem recorded on the unit's assignment: by the mailer when SES refuses
 * to send (`shared/mail/deliver-mail.ts`), or by the SES events consumer when SES reports it later
 * (`shared/mail/ses-events.ts`).
 */
export interface MailProblem {
  /** ISO-8601 instant of the refusal, bounce, complaint or reject. */
  at: string;
  /**
   * At most 500 characters: `<SES error name>: <message>` for a refusal at send time; for a later
   * event a Vietnamese sentence with the address(es), e.g. `Thư bị trả lại (địa chỉ không tồn
   * tại): a@b.vn — smtp; 550 5.1.1 user unknown`.
   */
  problem: string;
}

export interface SubmittedFile {
  uploadId: string;
  fileName: string;
  key: string;
  size: number;
  contentType: string;
  sha256: string;
  /** The S3 version of the kept object, where the store is versioned. */
  versionId?: string | undefined;
}

/**
 * A unit's assignment as a period opens (or as the unit joins it): its contact at that moment,
 * link version 1, nothing reported, not yet announced.
 */
export function newAssignment(
  period: Pick<Period, 'planId' | 'year'>,
  unit: Pick<Unit, 'id' | 'name' | 'email' | 'cc' | 'committeeId'>,
): Assignment {
  return {
    planId: period.planId,
    year: period.year,
    unitId: unit.id,
    unitName: unit.name,
    ...(unit.committeeId ? { committeeId: unit.committeeId } : {}),
    email: unit.email,
    cc: unit.cc,
    linkVersion: 1,
    extendedDeadline: null,
    status: 'missing',
    submittedAt: null,
    versionCounter: 0,
    latestVersion: 0,
    files: [],
    announcedAt: null,
  };
}
