/** An e-mail ready for the mail service. */
export interface OutgoingMail {
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  /**
   * Message tags (name → value) that SES copies into the bounce, complaint and reject events of
   * this e-mail, so that a problem reported later can be recorded on the unit it concerns
   * (`shared/mail/mail-tags.ts`). Only e-mails about a unit carry them.
   */
  tags?: Readonly<Record<string, string>>;
}

/** SES on AWS and locally (aws-ses-v2-local). */
export interface MailSender {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The state of one e-mail's delivery (item `MAIL#<key>` in the period partition). */
export interface DeliveryRecord {
  key: string;
  state: 'sending' | 'sent' | 'failed';
  /** The queue message that holds the claim (stable across redeliveries of that message). */
  owner: string;
  attempts: number;
  updatedAt: string;
  sesMessageId?: string;
  error?: string;
}

export interface DeliveryStore {
  /**
   * Claims the right to send `key` for `owner`. Granted when nobody has, when `owner` already
   * holds it (a redelivery of the same message), or when another claim went stale (its message
   * died mid-send). Refused when the mail was sent, failed for good, or is being sent right now.
   */
  claim(
    planId: string,
    year: number,
    key: string,
    owner: string,
    now: Date,
    staleBefore: Date,
  ): Promise<boolean>;
  markSent(planId: string, year: number, key: string, sesMessageId: string, now: Date): Promise<void>;
  markFailed(planId: string, year: number, key: string, error: string, now: Date): Promise<void>;
  /**
   * Records a delivery problem on the unit's assignment so `baocao status`, the dashboard and the
   * digest show it; `at` is when the problem happened. Keeps the latest problem: recording the
   * same problem again changes nothing, and an older one never replaces a newer one. Returns
   * false, recording nothing, when the unit has no assignment in that period or a newer problem
   * is already recorded.
   */
  noteUnitProblem(planId: string, year: number, unitId: string, problem: string, at: Date): Promise<boolean>;
  get(planId: string, year: number, key: string): Promise<DeliveryRecord | undefined>;
}
