import type { Assignment, Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type { GrantedUpload, SubmissionDraft, SubmissionVersion } from '#shared/domain/submission.ts';

/** What a unit's pages and grants need of the plan (the store may read only this). */
export type LinkPlan = Pick<Plan, 'id' | 'number' | 'title' | 'taskGroups'>;

/** The attributes a store reads for a link: of the plan ({@link LinkPlan}) and of the period. */
export const LINK_PLAN_FIELDS = [
  'id',
  'number',
  'title',
  'taskGroups',
] as const satisfies readonly (keyof LinkPlan)[];
export const PERIOD_FIELDS = [
  'planId',
  'year',
  'openDate',
  'deadline',
  'closeDate',
  'timeZone',
  'status',
  'openedAt',
  'openedMailsQueuedAt',
  'closedAt',
  'exportRequestedAt',
] as const satisfies readonly (keyof Period)[];
/** Fails to compile when a field is added to Period or LinkPlan and not to the lists above. */
type Missing =
  | Exclude<keyof Period, (typeof PERIOD_FIELDS)[number]>
  | Exclude<keyof LinkPlan, (typeof LINK_PLAN_FIELDS)[number]>;
const everyField: [Missing] extends [never] ? true : Missing = true;
void everyField;

/** What a link names, read in one request (the three items are independent of each other). */
export interface LinkContext {
  assignment: Assignment | undefined;
  plan: LinkPlan | undefined;
  period: Period | undefined;
}

/**
 * One presign counted against its link's fixed window (shared/uploads/unit-limits.ts) in the same
 * conditional write as what it changes, so that a refused presign writes nothing and concurrent
 * ones never count past `limit`.
 */
export interface LinkCount {
  /** The window's start (ISO-8601). */
  window: string;
  limit: number;
  /**
   * Whether the assignment as read counts no presign in this window (an earlier one, or none):
   * the write then starts the window at 1, only while the stored window is still earlier;
   * otherwise it adds 1, only while the window is this one and its count under `limit`.
   */
  fresh: boolean;
}

/** A new submission to start: written only if the assignment is still as it was read. */
export interface StartDraft {
  draft: SubmissionDraft;
  /** The assignment's `versionCounter` as read: the write succeeds only if it is unchanged. */
  previousCounter: number;
  /** The committee-local day and the count of submissions started on it, this one included. */
  day: string;
  versionsOnDay: number;
  /** Whether the assignment already has a `drafts` map. */
  hasDrafts: boolean;
  /** Versions of stale drafts to drop in the same write. */
  dropDrafts: number[];
  /** The presign counted in the same write (none: not counted). */
  linkCount?: LinkCount | undefined;
}

/** One more grant for a draft: written only while the draft can take it. */
export interface AddGrant {
  version: number;
  linkVersion: number;
  /** The draft must have been created at or after this instant (ISO-8601). */
  createdNotBefore: string;
  uploadId: string;
  upload: GrantedUpload;
  /** The presign counted in the same write (none: not counted). */
  linkCount?: LinkCount | undefined;
}

/** What the unit side of uploads writes and reads in a period's partition. */
export interface UploadStore {
  /** The assignment, the plan and the period a link names: one request, consistent reads. */
  readLinkContext(planId: string, year: number, unitId: string): Promise<LinkContext>;
  /**
   * Starts a submission in one conditional write on the assignment: only while it has link
   * version `draft.linkVersion` and its counter is still `previousCounter` (and, with
   * `linkCount`, while the link's window has room).
   * @returns false when the condition fails; nothing is changed then.
   */
  startDraft(planId: string, year: number, unitId: string, start: StartDraft): Promise<boolean>;
  /**
   * Adds one grant to draft `version`, in one conditional write: only while the link version is
   * `linkVersion`, the draft was created at or after `createdNotBefore` and fewer than its
   * `expectedFiles` grants were handed out (and, with `linkCount`, while the link's window has room).
   * @returns false when the condition fails; nothing is changed then.
   */
  addGrant(planId: string, year: number, unitId: string, grant: AddGrant): Promise<boolean>;
  /**
   * Counts one presign that grants nothing (refused by the upload rules) against its link, in one
   * conditional write on the assignment that changes nothing else.
   * @returns false when the window is full (or the assignment is gone); nothing is changed then.
   */
  countPresign(planId: string, year: number, unitId: string, count: LinkCount): Promise<boolean>;
  /** A unit's latest `limit` versions, newest first (one Query). */
  recentVersions(planId: string, year: number, unitId: string, limit: number): Promise<SubmissionVersion[]>;
  /** Bumps the assignment's link version (revokes the unit's current link) and returns the new one. */
  bumpLinkVersion(planId: string, year: number, unitId: string): Promise<number>;
}

/** One presigned POST to ask for. */
export interface CreateUploadInput {
  /** The exact object key; the user's file name is never part of it. */
  key: string;
  /** The exact Content-Type the form must carry. */
  contentType: string;
  /** Largest object accepted, in bytes (smallest is 1). */
  maxBytes: number;
  /** Object metadata by short name (`upload-id` → `x-amz-meta-upload-id`); ASCII values only. */
  metadata: Record<string, string>;
  /** How long the POST may be used; at most 900 (15 minutes). */
  expiresInSeconds: number;
}

/** A presigned POST: the browser posts `fields` and then the file (last) to `url`. */
export interface PresignedUpload {
  url: string;
  fields: Record<string, string>;
  /** When the policy expires (from the signed policy itself). */
  expiresAt: Date;
}

/** Signs uploads straight from the browser to the reports bucket. */
export interface UploadSigner {
  createUpload(input: CreateUploadInput): Promise<PresignedUpload>;
  /** The origin browsers POST to (for the page's CSP `connect-src`). */
  uploadOrigin(): string;
}
