/**
 * SES event notifications as SES publishes them to SNS through a configuration set (the body of
 * a message on the SES events queue, raw delivery), after the examples of the SES developer
 * guide ("Examples of event data that Amazon SES publishes to Amazon SNS"), with the tags the
 * mailer sets on a unit's e-mail. Every field SES sends is there, also those the app ignores.
 */

/** The mail object SES puts into every event: the original e-mail, its headers and tags. */
function mailObject(
  tags: Record<string, string[]>,
  to: string[],
  timestamp: string,
): Record<string, unknown> {
  return {
    timestamp,
    source: 'baocao@stc.example.gov.vn',
    sourceArn: 'arn:aws:ses:ap-southeast-1:123456789012:identity/baocao@stc.example.gov.vn',
    sendingAccountId: '123456789012',
    messageId: '0108019a7c191be4-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
    destination: to,
    headersTruncated: false,
    headers: [
      { name: 'From', value: 'baocao@stc.example.gov.vn' },
      { name: 'To', value: to.join(', ') },
      { name: 'Subject', value: '[12-KH/ĐUS] Nhắc hạn nộp báo cáo năm 2026 — còn 7 ngày' },
      { name: 'MIME-Version', value: '1.0' },
      {
        name: 'Content-Type',
        value: 'multipart/alternative; boundary="----=_Part_7307378_1629847660.1516840721503"',
      },
    ],
    commonHeaders: {
      from: ['baocao@stc.example.gov.vn'],
      to,
      messageId: '0108019a7c191be4-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
      subject: '[12-KH/ĐUS] Nhắc hạn nộp báo cáo năm 2026 — còn 7 ngày',
    },
    tags: {
      'ses:configuration-set': ['MailConfigurationSet1A2B3C4D-abcdefgh'],
      'ses:source-ip': ['192.0.2.0'],
      'ses:from-domain': ['stc.example.gov.vn'],
      'ses:caller-identity': ['Baocao-prod-Service-MailMailerRole-ABCDEF'],
      'ses:outgoing-ip': ['192.0.2.1'],
      ...tags,
    },
  };
}

/** The tags of a reminder to a unit, as SES publishes them back (each value in a list). */
export function unitTags(
  planId: string,
  year: number,
  unitId: string,
  kind = 'reminder',
): Record<string, string[]> {
  return { planId: [planId], year: [String(year)], unitId: [unitId], kind: [kind] };
}

export interface EventOptions {
  tags?: Record<string, string[]>;
  to?: string[];
  /** When SES accepted the e-mail. */
  sentAt?: string;
  /** When the problem was reported. */
  at?: string;
}

const defaults = {
  to: ['vanphong@cb-buu-chinh.example.vn'],
  sentAt: '2026-12-08T01:00:02.012Z',
  at: '2026-12-08T01:01:02.669Z',
};

/** A bounce: `Permanent` `General` by default, with the receiving server's diagnostic. */
export function bounceEvent(
  options: EventOptions & { bounceType?: string; bounceSubType?: string; diagnosticCode?: string } = {},
): Record<string, unknown> {
  const to = options.to ?? defaults.to;
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: options.bounceType ?? 'Permanent',
      bounceSubType: options.bounceSubType ?? 'General',
      bouncedRecipients: to.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: options.diagnosticCode ?? 'smtp; 550 5.1.1 user unknown',
      })),
      timestamp: options.at ?? defaults.at,
      feedbackId: '0108019a7c44f053-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; a27-30.smtp-out.ap-southeast-1.amazonses.com',
    },
    mail: mailObject(options.tags ?? {}, to, options.sentAt ?? defaults.sentAt),
  };
}

/** A complaint (`abuse` unless told otherwise). */
export function complaintEvent(
  options: EventOptions & { feedbackType?: string; subType?: string | null } = {},
): Record<string, unknown> {
  const to = options.to ?? defaults.to;
  return {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: to.map((emailAddress) => ({ emailAddress })),
      timestamp: options.at ?? defaults.at,
      feedbackId: '0108019a7c44f053-61b59c11-9236-11e6-8f96-7be8aexample-000001',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)',
      complaintFeedbackType: options.feedbackType ?? 'abuse',
      complaintSubType: options.subType ?? null,
      arrivalDate: options.at ?? defaults.at,
    },
    mail: mailObject(options.tags ?? {}, to, options.sentAt ?? defaults.sentAt),
  };
}

/** A reject: SES found a virus in the e-mail (the only reason SES documents). */
export function rejectEvent(options: EventOptions & { reason?: string } = {}): Record<string, unknown> {
  return {
    eventType: 'Reject',
    mail: mailObject(options.tags ?? {}, options.to ?? defaults.to, options.sentAt ?? defaults.sentAt),
    reject: { reason: options.reason ?? 'Bad content' },
  };
}

/** A delivery delay: SES is still trying. */
export function deliveryDelayEvent(options: EventOptions = {}): Record<string, unknown> {
  const to = options.to ?? defaults.to;
  return {
    eventType: 'DeliveryDelay',
    mail: mailObject(options.tags ?? {}, to, options.sentAt ?? defaults.sentAt),
    deliveryDelay: {
      timestamp: options.at ?? defaults.at,
      delayType: 'TransientCommunicationFailure',
      expirationTime: '2026-12-08T13:00:02.012Z',
      delayedRecipients: to.map((emailAddress) => ({
        emailAddress,
        status: '4.4.1',
        diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
      })),
    },
  };
}

/** The same event inside SNS's envelope, as a queue receives it without raw message delivery. */
export function inSnsEnvelope(event: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:ap-southeast-1:123456789012:Baocao-prod-Service-MailEventsTopic',
    Message: JSON.stringify(event),
    Timestamp: '2026-12-08T01:01:03.012Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLEpH+..',
    SigningCertURL:
      'https://sns.ap-southeast-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: 'https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=…',
  };
}
