import type { AuditLog } from '#shared/audit/ports.ts';
import type { Clock, PlanStore, SubmissionStore } from '#shared/ports.ts';

/** The committee-wide settings every use case may need. */
export interface CommitteeSettings {
  committeeName: string;
  /** IANA zone in which every deadline is a calendar date. */
  timeZone: string;
  /** Place in the compiled report's date line (`COMMITTEE_PLACE`). */
  committeePlace?: string | undefined;
  /** The superior committee, for the compiled report's header and "Nơi nhận" (`SUPERIOR_COMMITTEE`). */
  superiorCommittee?: string | undefined;
  /**
   * The committee's id when it is not the deployment's first (docs/tenancy.md): carried where a
   * request must find its way back to the committee — link tokens, queue messages, invocations.
   */
  committeeId?: string | undefined;
}

/** Collaborators of the use cases, wired to AWS, to the emulators, or to fakes in tests. */
export interface Deps {
  plans: PlanStore;
  submissions: SubmissionStore;
  clock: Clock;
  settings: CommitteeSettings;
  /** The audit log (docs/audit.md): what the committee, the units and the system did. */
  audit: AuditLog;
}
