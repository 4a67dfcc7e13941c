/**
 * The business metrics, written once: every name a function publishes with Powertools (EMF,
 * namespace `Baocao`, dimension `service=baocao`), every name an alarm watches
 * (infra/constructs/monitoring.ts) and the count the cost model charges per function
 * (infra/cost-model.ts) come from {@link METRIC_PUBLISHERS}. README's Operations section lists
 * them; test/unit/metrics.test.ts checks that no other source spells a metric name.
 *
 * PascalCase, in pairs where something can go either way (`ReminderSent` / `ReminderFailed`).
 */

import type { MailTemplate } from '#shared/domain/mail-message.ts';
import type { DeliveryOutcome } from './mail/deliver-mail.ts';

/** The function that publishes a metric (its file in functions/). */
export type MetricPublisher =
  | 'on-upload'
  | 'mailer'
  | 'ses-events'
  | 'planner'
  | 'exporter'
  | 'public-api'
  | 'admin-api'
  | 'setup-api'
  | 'units-api';

/** Each business metric and the one function that publishes it. */
export const METRIC_PUBLISHERS = {
  /** A file was recorded into a unit's version (a receipt follows). */
  SubmissionRecorded: 'on-upload',
  /** A file was refused by the checks (the unit gets a refusal e-mail). */
  SubmissionRejected: 'on-upload',
  /** An S3 event for an object already recorded or refused: harmless. */
  UploadEventDuplicate: 'on-upload',
  /** Alarmed: another object arrived at the key of a used grant and was quarantined. */
  UploadReplayQuarantined: 'on-upload',
  /** An object under uploads/ that no grant names. */
  UploadUnknown: 'on-upload',
  /** Recording an upload threw: Lambda retries the event. */
  UploadRecordingFailed: 'on-upload',

  /** Every e-mail sent by SES, and every e-mail given up (kept in the record as failed). */
  MailSent: 'mailer',
  MailFailed: 'mailer',
  /** The "period opened" e-mail with a unit's upload link (template `link`). */
  LinkMailSent: 'mailer',
  LinkMailFailed: 'mailer',
  /** Reminders before a unit's deadline and overdue notices after it (template `reminder`). */
  ReminderSent: 'mailer',
  ReminderFailed: 'mailer',
  /** Receipts of recorded files (template `receipt`). */
  ReceiptSent: 'mailer',
  ReceiptFailed: 'mailer',
  /** Refusals of files that failed the checks (template `rejected`). */
  RejectionSent: 'mailer',
  RejectionFailed: 'mailer',
  /** Committee sign-in links (template `sign-in`). */
  SignInMailSent: 'mailer',
  SignInMailFailed: 'mailer',
  /** Invitations of new committee members (template `member-invite`). */
  MemberInviteSent: 'mailer',
  MemberInviteFailed: 'mailer',
  /** The committee's digests (template `digest`). */
  DigestSent: 'mailer',
  DigestFailed: 'mailer',
  /** "The consolidated results are ready" to the committee (template `export-ready`). */
  ExportReadyMailSent: 'mailer',
  ExportReadyMailFailed: 'mailer',
  /** A unit's new deadline after the committee extended it (template `extension-granted`). */
  ExtensionMailSent: 'mailer',
  ExtensionMailFailed: 'mailer',
  /** A quarantined file's notice to its unit or the committee (template `quarantined`; docs/malware-scanning.md). */
  QuarantineMailSent: 'mailer',
  QuarantineMailFailed: 'mailer',

  /** SES reported a bounce, complaint or reject that was noted on a unit. */
  MailProblemRecorded: 'ses-events',

  /** Periods the planner opened and closed on a committee's run (functions/planner.ts, the planner queue's consumer). */
  PeriodsOpened: 'planner',
  PeriodsClosed: 'planner',
  /** Reminders the planner queued on its run. */
  ReminderQueued: 'planner',
  /** Plans or periods the planner's run could not handle. */
  PlannerFailed: 'planner',

  /** A consolidated export was built; its size in bytes and its duration. */
  ExportBuilt: 'exporter',
  ExportBytes: 'exporter',
  ExportDuration: 'exporter',
  /** An export failed. */
  ExportFailed: 'exporter',

  /** Alarmed: an HTTP function answered 5xx (logged with the request id: issue 18). */
  PublicApiServerError: 'public-api',
  AdminApiServerError: 'admin-api',
  SetupApiServerError: 'setup-api',
  UnitsApiServerError: 'units-api',
} as const satisfies Record<string, MetricPublisher>;

/** A business metric's name. */
export type MetricName = keyof typeof METRIC_PUBLISHERS;

/** Every business metric's name, by itself: `METRICS.ReminderSent === 'ReminderSent'`. */
export const METRICS = Object.fromEntries(Object.keys(METRIC_PUBLISHERS).map((name) => [name, name])) as {
  readonly [N in MetricName]: N;
};

/** The names of the metrics a function publishes. */
export function metricsOf(publisher: MetricPublisher): MetricName[] {
  return (Object.keys(METRIC_PUBLISHERS) as MetricName[]).filter((n) => METRIC_PUBLISHERS[n] === publisher);
}

/** What the mailer counts for each kind of e-mail, besides `MailSent` / `MailFailed`. */
export const MAIL_METRICS: Readonly<Record<MailTemplate, { sent: MetricName; failed: MetricName }>> = {
  link: { sent: 'LinkMailSent', failed: 'LinkMailFailed' },
  reminder: { sent: 'ReminderSent', failed: 'ReminderFailed' },
  receipt: { sent: 'ReceiptSent', failed: 'ReceiptFailed' },
  rejected: { sent: 'RejectionSent', failed: 'RejectionFailed' },
  'sign-in': { sent: 'SignInMailSent', failed: 'SignInMailFailed' },
  'member-invite': { sent: 'MemberInviteSent', failed: 'MemberInviteFailed' },
  digest: { sent: 'DigestSent', failed: 'DigestFailed' },
  'export-ready': { sent: 'ExportReadyMailSent', failed: 'ExportReadyMailFailed' },
  'extension-granted': { sent: 'ExtensionMailSent', failed: 'ExtensionMailFailed' },
  quarantined: { sent: 'QuarantineMailSent', failed: 'QuarantineMailFailed' },
};

/**
 * What one delivery counts: `MailSent` or `MailFailed`, and its kind's metric
 * ({@link MAIL_METRICS}); nothing when it was skipped (sent before: exactly-once delivery).
 */
export function mailMetricsFor(template: MailTemplate, outcome: DeliveryOutcome): MetricName[] {
  if (outcome === 'skipped') return [];
  return [outcome === 'sent' ? METRICS.MailSent : METRICS.MailFailed, MAIL_METRICS[template][outcome]];
}

/**
 * Metrics AWS publishes itself that an alarm watches: SES account reputation (namespace
 * `AWS/SES`). Not ours to rename; written here so that no construct spells a metric name.
 */
export const SES_REPUTATION_METRICS = {
  BounceRate: 'Reputation.BounceRate',
  ComplaintRate: 'Reputation.ComplaintRate',
} as const;
