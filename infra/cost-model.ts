/**
 * What one reporting cycle costs on AWS: the counts behind docs/COST.md, in one place, so that
 * the document, the infra tests and the benchmark (`npm run bench`) compute the same table.
 *
 * A cycle is one plan's yearly period for `units` units: the period opens 30 days before the
 * deadline and closes 30 days after it; the stack runs all year (the planner ticks daily). The
 * figures are list prices of ap-southeast-1 (Singapore) without any free tier (the account's
 * free tier may already be used by something else), in USD.
 *
 * Pure and deterministic: no AWS call, no clock.
 */
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { metricsOf } from '#shared/metrics.ts';

/** Prices used (USD), ap-southeast-1. See {@link PRICES_AS_OF}. */
export const PRICES = {
  /** Lambda, per request. */
  lambdaRequest: 0.2 / 1e6,
  /** Lambda, Arm (Graviton), per GB-second. */
  lambdaArmGbSecond: 0.0000133334,
  /** API Gateway HTTP API, per request (first 300 million a month). */
  httpApiRequest: 1.17 / 1e6,
  /** DynamoDB on-demand, per write request unit. */
  dynamoWriteUnit: 0.7125 / 1e6,
  /** DynamoDB on-demand, per read request unit. */
  dynamoReadUnit: 0.1425 / 1e6,
  /** DynamoDB Standard table storage, per GB-month. */
  dynamoStorageGbMonth: 0.285,
  /** DynamoDB point-in-time recovery, per GB-month. */
  dynamoPitrGbMonth: 0.228,
  /** S3 Standard storage, per GB-month (first 50 TB). */
  s3StorageGbMonth: 0.025,
  /** S3 PUT, COPY, POST, LIST requests, each. */
  s3PutRequest: 0.005 / 1000,
  /** S3 GET and other requests, each. */
  s3GetRequest: 0.0004 / 1000,
  /** Data transfer out to the internet, per GB (first 10 TB a month). */
  transferOutGb: 0.12,
  /** SQS standard queue, per request (a 64 KB chunk). */
  sqsRequest: 0.4 / 1e6,
  /** SES, per e-mail sent (no attachments). */
  sesEmail: 0.1 / 1000,
  /** EventBridge Scheduler, per invocation. */
  schedulerInvocation: 1 / 1e6,
  /** Secrets Manager, per secret-month. */
  secretMonth: 0.4,
  /** Secrets Manager, per API call. */
  secretApiCall: 0.05 / 10_000,
  /** CloudWatch Logs ingestion, per GB. */
  logsIngestGb: 0.67,
  /** CloudWatch Logs storage, per GB-month. */
  logsStorageGbMonth: 0.033,
  /** CloudWatch standard-resolution alarm, per alarm-month. */
  alarmMonth: 0.1,
  /** CloudWatch custom metric (Powertools EMF), per metric-month, prorated by the hour. */
  metricMonth: 0.3,
  /** X-Ray, per trace recorded. */
  xrayTrace: 5 / 1e6,
  /** GuardDuty Malware Protection for S3, per object evaluated. */
  malwareScanObject: 0.215 / 1000,
  /** GuardDuty Malware Protection for S3, per GB scanned. */
  malwareScanGb: 0.09,
} as const;

/**
 * When the prices were taken. They are the public list prices of ap-southeast-1 as known to the
 * author on that date, written down without access to the price pages from the build machine:
 * re-check them at https://aws.amazon.com/pricing/ before quoting a figure to anyone.
 */
export const PRICES_AS_OF = '2026-11-29';

/**
 * How units report, as assumed: from each day (from the deadline) on, this share of the units has
 * not reported yet (stepwise; 1 before the first day). A reminder step goes to the units that
 * have not reported on its day, so each step of the curve costs {@link unreportedShareOn} e-mails
 * per unit, whatever the steps are.
 */
export const UNREPORTED_SHARE_FROM: readonly (readonly [day: number, share: number])[] = [
  [-14, 0.85],
  [-7, 0.75],
  [-3, 0.6],
  [-1, 0.45],
  [1, 0.2],
  [7, 0.1],
];

/** The share of units that have not reported on `day` (days from the deadline). */
export function unreportedShareOn(day: number): number {
  let share = 1;
  for (const [from, s] of UNREPORTED_SHARE_FROM) if (day >= from) share = s;
  return share;
}

/**
 * Reminder e-mails per unit per cycle for a reminder curve: one term per step, each the share of
 * units not reported on that day.
 */
export function reminderSharesFor(steps: readonly number[] = DEFAULT_REMINDER_DAYS): number[] {
  return steps.map(unreportedShareOn);
}

/** The sum of {@link reminderSharesFor}. */
export function remindersPerUnitFor(steps: readonly number[] = DEFAULT_REMINDER_DAYS): number {
  return reminderSharesFor(steps).reduce((sum, share) => sum + share, 0);
}

/** What one unit does in one cycle, and what the committee does, as assumed. */
export const COST_ASSUMPTIONS = {
  // Units and their uploads
  /** Submissions per unit per cycle (a fifth of the units replace their report once). */
  submissionsPerUnit: 1.2,
  /** Files per submission. */
  filesPerSubmission: 1.5,
  /** Size of one file, MiB. */
  mibPerFile: 2,
  /** Share of files refused (quarantined) by the checks. */
  rejectedFileShare: 0.05,
  /** Share of units that report at all (their latest files go into the export). */
  reportingShare: 0.95,
  /** `GET /u/{token}` page views per unit per cycle (from the e-mails, revisits). */
  pageViewsPerUnit: 4,
  /** `GET /u/{token}/status` polls per submission until it shows as settled. */
  statusPollsPerSubmission: 3,
  /** HTML or JSON bytes per public or admin response. */
  bytesPerResponse: 15_000,

  // E-mails per unit: opened + reminders + receipts + refusals
  /** The "opened" e-mail with the link. */
  openedEmailsPerUnit: 1,
  /**
   * Reminders: one per step of the default curve (`DEFAULT_REMINDER_DAYS`, shared/domain/plan.ts),
   * each to the units that have not reported by then ({@link UNREPORTED_SHARE_FROM}).
   */
  remindersPerUnit: remindersPerUnitFor(DEFAULT_REMINDER_DAYS),

  // The committee (independent of the number of units)
  /** Digests (weekly for ~9 weeks, one after the deadline), export-ready and sign-in e-mails. */
  committeeEmailsPerCycle: 60,
  /** Committee page and JSON requests per cycle. */
  committeeRequestsPerCycle: 500,
  /** Views of the full period status (each reads every assignment). */
  committeeStatusViewsPerCycle: 100,
  /** Exports built per cycle (the planner's after the deadline, one more on request). */
  exportsPerCycle: 2,
  /** Each export downloaded once. */
  downloadsPerExport: 1,
  /** Single reports downloaded by the committee, as a share of all files. */
  reportDownloadShare: 0.1,

  // Function durations (averages, warm and cold together)
  publicRequestMs: 80,
  adminRequestMs: 120,
  /** on-upload: read and hash one 2 MiB object, a few conditional writes. */
  onUploadMs: 400,
  /** Average e-mails per mailer invocation (batches fill up only in bursts). */
  emailsPerMailerInvocation: 4,
  mailerInvocationMs: 600,
  /** A planner run with nothing to do. */
  plannerBaseMs: 800,
  /** Per assignment read (paged Query) on each day of the open period. */
  plannerMsPerAssignmentRead: 0.05,
  /** Per e-mail signed and queued (batches of 10). */
  plannerMsPerEmailQueued: 0.5,
  /** Per assignment created when the period opens (one conditional PutItem at a time). */
  plannerMsPerAssignmentCreated: 6,
  /** Days per cycle on which the period is open (open 30 days before, close 30 days after). */
  openDaysPerCycle: 60,
  /** Share of a cycle's submissions that arrive in its busiest hour (the deadline's eve). */
  busiestHourShare: 0.1,
  /** Export throughput from S3 to S3 through the exporter at 1,769 MB, MiB/s. */
  exportMibPerSecond: 60,
  /** Fixed part of an export: workbook, report, summary, records. */
  exportBaseSeconds: 10,

  // DynamoDB (write units: 1 KB; read units: 4 KB, strongly consistent)
  /** Assignment created when the period opens. */
  wruPerAssignment: 1,
  /** Per file: intent (1) + version update (4) + assignment update (2) + intent settled (1). */
  wruPerFile: 8,
  /** Per submission: the version item with notes (3 KB). */
  wruPerSubmission: 3,
  /** Per further file of a submission: the slot update on the version. */
  wruPerExtraFile: 3,
  /** Per e-mail: claim + sent mark of the delivery record. */
  wruPerEmail: 2,
  /** Per public request: assignment, period, plan, versions. */
  rruPerPublicRequest: 5,
  /** Per on-upload invocation: intent, version, assignment, period, plan. */
  rruPerFile: 6,
  /** Per assignment read by a Query (1 KB of 4). */
  rruPerAssignmentRead: 0.25,
  /** Per reporting unit in an export: its version item. */
  rruPerExportedUnit: 1,
  /** Stored per unit per cycle: assignment, versions, intents, mail records. */
  kibStoredPerUnit: 9,

  // Logs, traces, metrics
  /** Bytes logged per invocation (START/END/REPORT and a Powertools line or two). */
  logBytesPerInvocation: 1200,
  /** Bytes per HTTP API access-log line. */
  accessLogBytesPerRequest: 400,
  /** Log retention, months. */
  logRetentionMonths: 3,
  /** Server access-log bytes per S3 request. */
  s3AccessLogBytesPerRequest: 350,
  /**
   * Business metric names per function (EMF), counted from shared/metrics.ts. (ses-events runs a
   * few times a cycle at most: left out, as its invocations are.)
   */
  metricNames: {
    onUpload: metricsOf('on-upload').length,
    mailer: metricsOf('mailer').length,
    planner: metricsOf('planner').length,
    exporter: metricsOf('exporter').length,
  },
  /** At most this many hours a cycle carry uploads or e-mails (60 busy days × 12 h). */
  maxBusyHoursPerCycle: 720,

  // The stack itself
  /**
   * CloudWatch alarms in the service stack (test/infra asserts the template has exactly these):
   * each function's errors (12), one for the account's Lambda throttles (since 7 December 2026;
   * there was one per function), the dead-letter and stalled queues, the scheduler, the business
   * metrics, the API's 5xx and SES reputation (infra/constructs/monitoring.ts).
   */
  alarms: 34,
  /** Secrets: link key and session key. */
  secrets: 2,
  /**
   * Queues consumed by a Lambda event source: the mail queue, the SES events queue and the
   * planner queue (one message per committee a day: docs/tenancy.md). (The SES events consumer
   * itself runs only when SES reports a problem: a few invocations a cycle, left out.)
   */
  consumedQueues: 3,
  /** Long polls of one consumed queue by its Lambda event source while idle: 5 pollers × 3 a minute. */
  idleQueuePollsPerMinute: 15,
  /** Share of public, admin and planner invocations that start cold and read a secret. */
  coldStartShare: 0.05,
} as const;

export type CostAssumptions = typeof COST_ASSUMPTIONS;
export type Prices = typeof PRICES;

/** The services of the cost table, in the order they are shown. */
export const SERVICES = [
  'Lambda',
  'API Gateway',
  'DynamoDB',
  'S3',
  'GuardDuty',
  'Data transfer',
  'SQS',
  'SES',
  'EventBridge Scheduler',
  'Secrets Manager',
  'CloudWatch',
  'X-Ray',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** One line of arithmetic: quantity × unit price = USD per cycle (year). */
export interface CostLine {
  readonly service: ServiceName;
  readonly item: string;
  readonly quantity: number;
  /** What the quantity counts, e.g. `requests`, `GB-s`, `GB-month`. */
  readonly unit: string;
  readonly unitPrice: number;
  /** The price is shown per this many units (1, 1,000 or 1,000,000), as AWS lists it. */
  readonly pricedPer: number;
  readonly usd: number;
}

/** The counts that drive the lines, per cycle (year). */
export interface CycleVolumes {
  readonly files: number;
  readonly submissions: number;
  readonly unitEmails: number;
  readonly emails: number;
  readonly publicRequests: number;
  readonly adminRequests: number;
  readonly invocations: Record<
    'publicApi' | 'adminApi' | 'onUpload' | 'mailer' | 'planner' | 'exporter',
    number
  >;
  readonly reportGib: number;
  readonly packGib: number;
  readonly exportSeconds: number;
}

/** The cost of one cycle for a number of units. */
export interface CostEstimate {
  readonly units: number;
  readonly volumes: CycleVolumes;
  readonly lines: readonly CostLine[];
  /** USD per cycle (year) for each service. */
  readonly byService: Readonly<Record<ServiceName, number>>;
  /** USD per cycle: one year. */
  readonly yearlyUsd: number;
  /** USD per month, the year's average. */
  readonly monthlyUsd: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const MONTHS = 12;
const HOURS_PER_MONTH = 730;

/**
 * The cost of one reporting cycle (one year of the stack and one yearly period) for `units`
 * units, line by line.
 */
export function costFor(
  units: number,
  a: CostAssumptions = COST_ASSUMPTIONS,
  p: Prices = PRICES,
): CostEstimate {
  const submissions = units * a.submissionsPerUnit;
  const files = submissions * a.filesPerSubmission;
  const rejectedFiles = files * a.rejectedFileShare;
  const receipts = submissions;
  const unitEmails = units * (a.openedEmailsPerUnit + a.remindersPerUnit) + receipts + rejectedFiles;
  const plannerEmails = units * (a.openedEmailsPerUnit + a.remindersPerUnit);
  const emails = unitEmails + a.committeeEmailsPerCycle;

  const publicRequests = units * a.pageViewsPerUnit + files + submissions * a.statusPollsPerSubmission;
  const adminRequests = a.committeeRequestsPerCycle;

  const reportBytes = files * a.mibPerFile * MIB;
  const packBytes = units * a.reportingShare * a.filesPerSubmission * a.mibPerFile * MIB;
  const exportSeconds = a.exportBaseSeconds + packBytes / MIB / a.exportMibPerSecond;

  const plannerRuns = 365;
  const plannerSeconds =
    (plannerRuns * a.plannerBaseMs +
      units * a.plannerMsPerAssignmentCreated +
      a.openDaysPerCycle * units * a.plannerMsPerAssignmentRead +
      plannerEmails * a.plannerMsPerEmailQueued) /
    1000;

  const invocations = {
    publicApi: publicRequests,
    adminApi: adminRequests,
    onUpload: files,
    mailer: emails / a.emailsPerMailerInvocation,
    planner: plannerRuns,
    exporter: a.exportsPerCycle,
  };
  const gbSeconds =
    (publicRequests * a.publicRequestMs * 256 +
      adminRequests * a.adminRequestMs * 256 +
      files * a.onUploadMs * 512 +
      invocations.mailer * a.mailerInvocationMs * 256) /
      1000 /
      1024 +
    (plannerSeconds * 512) / 1024 +
    (a.exportsPerCycle * exportSeconds * 1769) / 1024;
  const totalInvocations = Object.values(invocations).reduce((sum, n) => sum + n, 0);

  const lines: CostLine[] = [];
  const line = (service: ServiceName, item: string, quantity: number, unit: string, unitPrice: number) =>
    lines.push({
      service,
      item,
      quantity,
      unit,
      unitPrice,
      pricedPer: unitPrice < 1e-5 && unit !== 'GB-s' ? 1e6 : unitPrice < 1e-3 && unit !== 'GB-s' ? 1000 : 1,
      usd: quantity * unitPrice,
    });

  line('Lambda', 'requests (all functions)', totalInvocations, 'requests', p.lambdaRequest);
  line('Lambda', 'duration, Arm', gbSeconds, 'GB-s', p.lambdaArmGbSecond);

  line('API Gateway', 'HTTP API requests', publicRequests + adminRequests, 'requests', p.httpApiRequest);

  const wru =
    units * a.wruPerAssignment +
    files * a.wruPerFile +
    submissions * a.wruPerSubmission +
    (files - submissions) * a.wruPerExtraFile +
    emails * a.wruPerEmail;
  const rru =
    publicRequests * a.rruPerPublicRequest +
    files * a.rruPerFile +
    a.openDaysPerCycle * units * a.rruPerAssignmentRead +
    a.committeeStatusViewsPerCycle * units * a.rruPerAssignmentRead +
    a.exportsPerCycle * units * (a.rruPerAssignmentRead + a.reportingShare * a.rruPerExportedUnit);
  const dynamoGib = (units * a.kibStoredPerUnit * 1024) / GIB;
  line('DynamoDB', 'write request units', wru, 'WRU', p.dynamoWriteUnit);
  line('DynamoDB', 'read request units', rru, 'RRU', p.dynamoReadUnit);
  line('DynamoDB', 'storage, 12 months', dynamoGib * MONTHS, 'GB-month', p.dynamoStorageGbMonth);
  line('DynamoDB', 'point-in-time recovery, 12 months', dynamoGib * MONTHS, 'GB-month', p.dynamoPitrGbMonth);

  const s3Puts =
    files + // the browsers' POSTs
    rejectedFiles + // quarantine copies
    (files - rejectedFiles) + // GuardDuty's scan-result tag on each kept copy
    a.exportsPerCycle * Math.max(1, Math.ceil(packBytes / (8 * MIB))); // multipart parts
  const s3Gets =
    files + // on-upload reads each upload
    rejectedFiles + // HEAD of the quarantine copy
    a.exportsPerCycle * units * a.reportingShare * a.filesPerSubmission + // exports read reports
    files * a.reportDownloadShare + // committee downloads
    a.exportsPerCycle * a.downloadsPerExport;
  const quarantineGibMonths = ((rejectedFiles * a.mibPerFile * MIB) / GIB) * (1 + 3); // 30 d + 90 d versions
  const exportGibMonths = ((a.exportsPerCycle * packBytes) / GIB) * 1; // 30 days each
  const accessLogGib = ((s3Puts + s3Gets) * a.s3AccessLogBytesPerRequest) / GIB;
  line('S3', 'reports stored, 12 months', (reportBytes / GIB) * MONTHS, 'GB-month', p.s3StorageGbMonth);
  line(
    'S3',
    'quarantine (30 days) and old versions (90 days)',
    quarantineGibMonths,
    'GB-month',
    p.s3StorageGbMonth,
  );
  line('S3', 'exports stored 30 days', exportGibMonths, 'GB-month', p.s3StorageGbMonth);
  line('S3', 'server access logs, 12 months', accessLogGib * MONTHS, 'GB-month', p.s3StorageGbMonth);
  line('S3', 'POST, COPY and multipart PUT requests', s3Puts, 'requests', p.s3PutRequest);
  line('S3', 'GET and HEAD requests', s3Gets, 'requests', p.s3GetRequest);

  // GuardDuty Malware Protection for S3 scans each kept copy under reports/ once, when it is
  // written (docs/malware-scanning.md): a price per object evaluated and per GB scanned.
  const keptFiles = files - rejectedFiles;
  line('GuardDuty', 'Malware Protection for S3: objects scanned', keptFiles, 'objects', p.malwareScanObject);
  line(
    'GuardDuty',
    'Malware Protection for S3: data scanned',
    (keptFiles * a.mibPerFile * MIB) / GIB,
    'GB',
    p.malwareScanGb,
  );

  const downloadGib =
    (a.exportsPerCycle * a.downloadsPerExport * packBytes +
      files * a.reportDownloadShare * a.mibPerFile * MIB) /
    GIB;
  const responseGib = ((publicRequests + adminRequests) * a.bytesPerResponse) / GIB;
  line('Data transfer', 'export and report downloads', downloadGib, 'GB', p.transferOutGb);
  line('Data transfer', 'pages and JSON', responseGib, 'GB', p.transferOutGb);

  const queueRequests =
    plannerEmails / 10 + // the planner sends batches of 10
    (emails - plannerEmails) + // receipts, refusals, committee mail: one SendMessage each
    invocations.mailer * 2; // the event source's receive and delete per batch
  const idlePolls = a.consumedQueues * a.idleQueuePollsPerMinute * 60 * 24 * 365;
  line('SQS', 'mail messages: send, receive, delete', queueRequests, 'requests', p.sqsRequest);
  line('SQS', 'idle long polls of the mail and SES events queues', idlePolls, 'requests', p.sqsRequest);

  line('SES', 'e-mails sent', emails, 'e-mails', p.sesEmail);

  line(
    'EventBridge Scheduler',
    'daily planner invocations',
    plannerRuns,
    'invocations',
    p.schedulerInvocation,
  );

  const secretCalls =
    (invocations.publicApi + invocations.adminApi * 2 + invocations.planner) * a.coldStartShare;
  line('Secrets Manager', 'secrets, 12 months', a.secrets * MONTHS, 'secret-months', p.secretMonth);
  line('Secrets Manager', 'GetSecretValue (cold starts)', secretCalls, 'calls', p.secretApiCall);

  const logGib =
    (totalInvocations * a.logBytesPerInvocation +
      (publicRequests + adminRequests) * a.accessLogBytesPerRequest) /
    GIB;
  const busyHours = (events: number) => Math.min(events, a.maxBusyHoursPerCycle);
  const metricMonths =
    (a.metricNames.onUpload * busyHours(files) +
      a.metricNames.mailer * busyHours(invocations.mailer) +
      a.metricNames.planner * plannerRuns +
      a.metricNames.exporter * a.exportsPerCycle) /
    HOURS_PER_MONTH;
  line('CloudWatch', 'alarms, 12 months', a.alarms * MONTHS, 'alarm-months', p.alarmMonth);
  line('CloudWatch', 'log ingestion', logGib, 'GB', p.logsIngestGb);
  line(
    'CloudWatch',
    'log storage (3 months each)',
    logGib * a.logRetentionMonths,
    'GB-month',
    p.logsStorageGbMonth,
  );
  line('CloudWatch', 'business metrics (EMF), hours with data', metricMonths, 'metric-months', p.metricMonth);

  line('X-Ray', 'traces (every invocation sampled)', totalInvocations, 'traces', p.xrayTrace);

  const byService = Object.fromEntries(SERVICES.map((service) => [service, 0])) as Record<
    ServiceName,
    number
  >;
  for (const l of lines) byService[l.service] += l.usd;
  const yearlyUsd = lines.reduce((sum, l) => sum + l.usd, 0);

  return {
    units,
    volumes: {
      files,
      submissions,
      unitEmails,
      emails,
      publicRequests,
      adminRequests,
      invocations,
      reportGib: reportBytes / GIB,
      packGib: packBytes / GIB,
      exportSeconds,
    },
    lines,
    byService,
    yearlyUsd,
    monthlyUsd: yearlyUsd / MONTHS,
  };
}

/** The limits of one cycle at `units` units, against the quotas that bind first. */
export interface CycleLimits {
  readonly units: number;
  /** E-mails queued by the planner the day the period opens. */
  readonly openingDayEmails: number;
  /** Hours SES needs for them at the default production rate of 14 e-mails a second. */
  readonly openingDaySesHours: number;
  /** Days of SES's default production quota (50,000 a day) they take. */
  readonly openingDaySesQuotaDays: number;
  /** Minutes one export takes at the assumed throughput; Lambda stops at 15. */
  readonly exportMinutes: number;
  /** ZIP entries in one export (3 documents + the files); ZIP64 from 65,535. */
  readonly zipEntries: number;
  /** Size of one export, GiB; ZIP64 from 4 GiB. */
  readonly packGib: number;
  /** Largest object the exporter's multipart schedule reaches in 10,000 parts, GiB. */
  readonly multipartMaxGib: number;
  /** Minutes of the planner's opening run (assignments one by one, then the e-mails); limit 15. */
  readonly plannerOpeningMinutes: number;
  /** HTTP requests a second in the busiest hour; the stage allows 50 (burst 100). */
  readonly peakRequestsPerSecond: number;
}

/** SES's default sending rate after leaving the sandbox (e-mails a second). */
export const SES_DEFAULT_RATE = 14;
/** SES's default daily quota after leaving the sandbox (e-mails in 24 hours). */
export const SES_DEFAULT_DAILY_QUOTA = 50_000;

/**
 * shared/adapters/s3/export-writer.ts: parts of 8 MiB, doubling every 1,000 parts up to 64 MiB,
 * at most 10,000 parts: 1,000 × (8 + 16 + 32) MiB + 7,000 × 64 MiB.
 */
export const MULTIPART_MAX_GIB = (1000 * (8 + 16 + 32) + 7000 * 64) / 1024;

export function limitsFor(units: number, a: CostAssumptions = COST_ASSUMPTIONS): CycleLimits {
  const estimate = costFor(units, a);
  const openingDayEmails = units * a.openedEmailsPerUnit;
  return {
    units,
    openingDayEmails,
    openingDaySesHours: openingDayEmails / SES_DEFAULT_RATE / 3600,
    openingDaySesQuotaDays: openingDayEmails / SES_DEFAULT_DAILY_QUOTA,
    exportMinutes: estimate.volumes.exportSeconds / 60,
    zipEntries: 3 + Math.round(units * a.reportingShare * a.filesPerSubmission),
    packGib: estimate.volumes.packGib,
    multipartMaxGib: MULTIPART_MAX_GIB,
    plannerOpeningMinutes:
      (a.plannerBaseMs + units * (a.plannerMsPerAssignmentCreated + a.plannerMsPerEmailQueued)) / 60_000,
    peakRequestsPerSecond: (estimate.volumes.publicRequests * a.busiestHourShare) / 3600,
  };
}

const usd = (value: number): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = (value: number): string =>
  value >= 100
    ? Math.round(value).toLocaleString('en-US')
    : value >= 1 || value === 0
      ? value.toLocaleString('en-US', { maximumFractionDigits: 2 })
      : value.toPrecision(2);
const price = (l: CostLine): string => {
  const per = l.pricedPer === 1e6 ? '1M ' : l.pricedPer === 1000 ? '1,000 ' : '';
  const amount = l.unitPrice * l.pricedPer;
  return `$${Number(amount.toPrecision(6))} / ${per}${l.unit}`;
};

/** The sizes docs/COST.md shows. */
export const COST_TABLE_SIZES = [30, 1000, 100_000] as const;

/**
 * A markdown table with its columns padded the way Biome formats markdown (docs/ are formatted
 * by `npm run lint`), so that the rendered text and the formatted document are the same.
 */
function markdownTable(
  header: readonly string[],
  align: readonly ('left' | 'right')[],
  rows: string[][],
): string {
  const width = (text: string) => [...text].length;
  const widths = header.map((cell, i) => Math.max(3, width(cell), ...rows.map((row) => width(row[i] ?? ''))));
  const pad = (cell: string, i: number) =>
    align[i] === 'right'
      ? ' '.repeat(widths[i]! - width(cell)) + cell
      : cell + ' '.repeat(widths[i]! - width(cell));
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/**
 * The tables of docs/COST.md (between its `cost-model:begin` and `cost-model:end` markers),
 * rendered from {@link costFor}: the summary, the cost per service, the arithmetic per size,
 * and the limits.
 */
export function renderCostTables(sizes: readonly number[] = COST_TABLE_SIZES): string {
  const estimates = sizes.map((units) => costFor(units));
  const numbers = (n: number) => Array.from({ length: n }, () => 'right' as const);
  const out: string[] = [];
  out.push(
    markdownTable(
      ['units', 'per year (USD)', 'per month, average (USD)', 'per unit per year (USD)'],
      numbers(4),
      estimates.map((e) => [
        count(e.units),
        usd(e.yearlyUsd),
        usd(e.monthlyUsd),
        (e.yearlyUsd / e.units).toFixed(4),
      ]),
    ),
  );
  out.push('');
  out.push(
    markdownTable(
      ['service (USD per year)', ...estimates.map((e) => `${count(e.units)} units`)],
      ['left', ...numbers(estimates.length)],
      [
        ...SERVICES.map((service) => [service, ...estimates.map((e) => usd(e.byService[service]))]),
        ['**total**', ...estimates.map((e) => `**${usd(e.yearlyUsd)}**`)],
      ],
    ),
  );
  for (const e of estimates) {
    out.push('');
    out.push(`#### ${count(e.units)} units: the arithmetic`);
    out.push('');
    out.push(
      markdownTable(
        ['service', 'item', 'quantity', '× price', '= USD per year'],
        ['left', 'left', 'right', 'right', 'right'],
        e.lines.map((l) => [l.service, l.item, `${count(l.quantity)} ${l.unit}`, price(l), usd(l.usd)]),
      ),
    );
  }
  out.push('');
  out.push('#### The limits, per size');
  out.push('');
  const limits = sizes.map((units) => limitsFor(units));
  const rows: string[][] = [];
  const row = (label: string, value: (l: CycleLimits) => string) => rows.push([label, ...limits.map(value)]);
  row('"opened" e-mails on the opening day', (l) => count(l.openingDayEmails));
  row(`hours of SES at ${SES_DEFAULT_RATE}/s`, (l) => l.openingDaySesHours.toFixed(2));
  row(`days of SES quota at ${count(SES_DEFAULT_DAILY_QUOTA)}/day`, (l) =>
    l.openingDaySesQuotaDays.toFixed(2),
  );
  row('export duration, minutes (Lambda stops at 15)', (l) => l.exportMinutes.toFixed(1));
  row('ZIP entries (ZIP64 from 65,535)', (l) => count(l.zipEntries));
  row('export size, GiB (ZIP64 from 4)', (l) => l.packGib.toFixed(2));
  row('largest multipart object, GiB', (l) => l.multipartMaxGib.toFixed(0));
  row("planner's opening run, minutes (Lambda stops at 15)", (l) => l.plannerOpeningMinutes.toFixed(1));
  row('HTTP requests/s in the busiest hour (stage: 50)', (l) => l.peakRequestsPerSecond.toFixed(2));
  out.push(
    markdownTable(
      ['limit', ...limits.map((l) => `${count(l.units)} units`)],
      ['left', ...numbers(limits.length)],
      rows,
    ),
  );
  return out.join('\n');
}

/** What many committees of one deployment cost (docs/tenancy.md, issue 14): the figure of a tree. */
export const TREE_ASSUMPTIONS = {
  /**
   * One committee's daily run when nothing is due (most days): its deps from the registry
   * (GetItem of the committee, Query of its parent links), its plans and their periods (two
   * Queries), the audit digest's look-up; warm, in a batch of five.
   */
  plannerRunMsPerCommittee: 150,
  /** Read units of that run: five requests, most eventually consistent, all under 4 KB. */
  rruPerCommitteeRun: 4,
  /** Committees per planner invocation (infra/constructs/reminders.ts PLANNER_BATCH_SIZE). */
  committeesPerInvocation: 5,
  /** Bytes of one committee in the registry's list (its item: id, name, time zone, dates). */
  registryBytesPerCommittee: 250,
  /** Log bytes of one committee's run (one line of counts). */
  logBytesPerRun: 600,
} as const;

/**
 * The deployment-wide lines of {@link costFor}: paid once, whatever the number of committees
 * (alarms, secrets, the event sources' idle polls, the business metrics, which have no committee
 * dimension, and the scheduler's one daily invocation).
 */
const DEPLOYMENT_ITEMS = new Set([
  'alarms, 12 months',
  'secrets, 12 months',
  'idle long polls of the mail and SES events queues',
  'business metrics (EMF), hours with data',
  'daily planner invocations',
]);

/** A tree of committees in one deployment: the cost per committee-year, and its parts. */
export interface TreeCostEstimate {
  committees: number;
  unitsPerCommittee: number;
  /** The deployment-wide lines, once (USD a year). */
  sharedUsd: number;
  /** One committee's own cycle, without the shared lines (USD a year). */
  cycleUsd: number;
  /** One committee's daily runs through the planner queue (USD a year). */
  fanOutUsd: number;
  /** The daily tick: one Query of the registry, one SendMessageBatch per ten committees (USD a year). */
  tickUsd: number;
  /** Everything, per committee (USD a year). */
  perCommitteeYearUsd: number;
  /** Everything (USD a year). */
  yearlyUsd: number;
  /** Messages the tick sends a day (one per committee), and planner invocations a day. */
  messagesPerDay: number;
  plannerInvocationsPerDay: number;
}

/**
 * The cost of `committees` committees of `unitsPerCommittee` units each in one deployment, each
 * with one yearly cycle: the deployment-wide lines of {@link costFor} once, each committee's
 * own cycle (the other lines of `costFor(unitsPerCommittee)`), and the planner's fan-out (a
 * message, a share of an invocation and a few reads per committee per day).
 */
export function treeCostFor(
  committees: number,
  unitsPerCommittee: number,
  a: CostAssumptions = COST_ASSUMPTIONS,
  p: Prices = PRICES,
  t: typeof TREE_ASSUMPTIONS = TREE_ASSUMPTIONS,
): TreeCostEstimate {
  const one = costFor(unitsPerCommittee, a, p);
  const sharedUsd = one.lines.filter((l) => DEPLOYMENT_ITEMS.has(l.item)).reduce((x, l) => x + l.usd, 0);
  const cycleUsd = one.yearlyUsd - sharedUsd;
  const days = 365;
  const invocationsPerCommittee = days / t.committeesPerInvocation;
  const fanOutUsd =
    // SQS: the tick's send (batches of ten), the event source's receive and delete per batch.
    days * (1 / 10 + 2 / t.committeesPerInvocation) * p.sqsRequest +
    invocationsPerCommittee * (p.lambdaRequest + p.xrayTrace) +
    ((days * t.plannerRunMsPerCommittee) / 1000) * (512 / 1024) * p.lambdaArmGbSecond +
    days * t.rruPerCommitteeRun * p.dynamoReadUnit +
    ((days * t.logBytesPerRun) / GIB) * (p.logsIngestGb + a.logRetentionMonths * p.logsStorageGbMonth);
  // The tick: one Query (eventually consistent: 0.5 RRU per 4 KB), its invocation and trace.
  const tickRru = Math.max(1, Math.ceil((committees * t.registryBytesPerCommittee) / 4096) / 2);
  const tickUsd =
    days *
    (tickRru * p.dynamoReadUnit +
      p.lambdaRequest +
      p.xrayTrace +
      Math.ceil(committees / 10) * p.sqsRequest +
      ((0.5 * 256) / 1024) * p.lambdaArmGbSecond);
  const yearlyUsd = sharedUsd + tickUsd + committees * (cycleUsd + fanOutUsd);
  return {
    committees,
    unitsPerCommittee,
    sharedUsd,
    cycleUsd,
    fanOutUsd,
    tickUsd,
    perCommitteeYearUsd: yearlyUsd / committees,
    yearlyUsd,
    messagesPerDay: committees,
    plannerInvocationsPerDay: Math.ceil(committees / t.committeesPerInvocation),
  };
}
