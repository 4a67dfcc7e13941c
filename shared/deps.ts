import type { Clock, PlanStore, SubmissionStore } from '#shared/ports.ts';

/** The committee-wide settings every use case may need. */
export interface CommitteeSettings {
  committeeName: string;
  /** IANA zone in which every deadline is a calendar date. */
  timeZone: string;
}

/** Collaborators of the use cases, wired to AWS, to the emulators, or to fakes in tests. */
export interface Deps {
  plans: PlanStore;
  submissions: SubmissionStore;
  clock: Clock;
  settings: CommitteeSettings;
}
