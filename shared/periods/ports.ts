import type { Deps } from '#shared/deps.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { MailQueue } from '#shared/ports.ts';

/**
 * The personal upload link of a unit in a period, for the e-mails. Must not read the database
 * per unit (the planner calls it for every unit it mails): everything needed is in the
 * assignment (unit, link version) and the period (close date, zone).
 */
export interface UploadLinks {
  urlFor(assignment: Assignment, period: Period): Promise<string>;
}

/**
 * Starts the consolidated export of a period. Called from the day after the deadline until the
 * request is recorded on the period (`exportRequestedAt`); an implementation records it with a
 * conditional write so that concurrent ticks start it once.
 */
export interface ExportStarter {
  start(planId: string, year: number): Promise<void>;
}

/** Settings of the planner. */
export interface PlannerSettings {
  /**
   * The committee digest's recipients as they stand when a digest is due (read only then):
   * every member of the committee, admins and viewers alike, else (while its member list is
   * still empty) its configured addresses (`COMMITTEE_EMAILS`, the deployment's first committee
   * only). None: no digest is built (docs/tenancy.md).
   */
  digestRecipients(): Promise<string[]>;
  /** Public base URL of the app, for the dashboard link in the digest. */
  appUrl?: string | undefined;
}

/**
 * What queuing a unit's e-mail needs: the common collaborators, the mail queue and the links.
 * `openPeriod` needs them too, to e-mail at once a unit added to a period already announced.
 */
export interface UnitMailDeps extends Deps {
  mailQueue: MailQueue;
  links: UploadLinks;
}

/** Collaborators of the planner: the common ones, the mail queue, links and exports. */
export interface PlannerDeps extends UnitMailDeps {
  exports: ExportStarter;
  planner: PlannerSettings;
  /** Items per assignments Query page (default: DynamoDB's 1 MB pages); tests make it small. */
  assignmentPageSize?: number | undefined;
  /**
   * Writes the audit log's signed daily digests up to yesterday (docs/audit.md); the days
   * written. Unset where the runtime has no audit table.
   */
  writeAuditDigests?: (() => Promise<string[]>) | undefined;
}
