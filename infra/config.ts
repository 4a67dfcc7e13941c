import { z } from 'zod';

/** Sender used when `senderEmail` is not given: good enough to synthesize, never to deploy. */
export const PLACEHOLDER_SENDER_EMAIL = 'no-reply@example.org';

/**
 * Context values the CDK app reads (`npx cdk synth -c key=value`, or `context` in cdk.json).
 * Every value arrives as a string from the command line; cdk.json may also give a list for
 * `committeeEmails`.
 *
 * - `stage` — name of the deployment, part of every stack name (`Baocao-<stage>-…`).
 *   Letters, digits and hyphens, starting with a letter. Default `dev`.
 * - `committeeName` — the committee's name as shown to people (pages, e-mails, reports).
 *   Default `Đảng ủy Sở`.
 * - `timeZone` — IANA time zone in which deadlines are calendar dates. Default
 *   `Asia/Ho_Chi_Minh`.
 * - `senderEmail` — the SES-verified address every e-mail is sent from. Required for a real
 *   deploy; when absent the app synthesizes with {@link PLACEHOLDER_SENDER_EMAIL}, warns, and
 *   adds a CloudFormation rule that makes the deploy fail.
 * - `committeeEmails` — comma-separated addresses allowed to sign in to `/admin` by e-mailed
 *   magic link. Default: none (nobody can sign in; synth warns).
 * - `senderDomain` — optional domain to verify in SES instead of the single address
 *   `senderEmail` (Easy DKIM; the stack outputs the three CNAME records to publish). The sender
 *   address must be at exactly this domain.
 * - `alarmEmail` — optional address subscribed to the operational alarms.
 * - `appOrigin` — optional origin (`https://host[:port]`, no path) the app is served from,
 *   e.g. a custom domain. It is the only origin allowed by CORS (API and reports bucket) and the
 *   base of links in e-mails (`APP_URL`). Default: the HTTP API's own URL.
 * - `certificateArn` — optional ACM certificate (same region) for the host of `appOrigin`: the
 *   stack then maps that custom domain to the HTTP API, and outputs the target for its DNS
 *   record. Without it, `appOrigin` must be served by something in front of the API.
 * - `reportRetentionYears` — years each receipted report stays locked (S3 Object Lock retention
 *   of its kept copy, `REPORT_RETENTION_YEARS`) and years the monthly table backups are kept.
 *   Whole number from 1 to 100. Default 10.
 * - `reportLockMode` — Object Lock mode of the kept reports (`REPORT_LOCK_MODE`): `GOVERNANCE`
 *   (default: a principal with `s3:BypassGovernanceRetention` can still delete a version) or
 *   `COMPLIANCE` (nobody, not even the account's root user, until the date). Case-insensitive.
 */
export interface BaocaoConfig {
  readonly stage: string;
  readonly committeeName: string;
  /** Place in the date line of the compiled report (`COMMITTEE_PLACE`); unset: left as dots. */
  readonly committeePlace?: string;
  /** The superior committee in the report's header and "Nơi nhận" (`SUPERIOR_COMMITTEE`); unset: from the plan. */
  readonly superiorCommittee?: string;
  readonly timeZone: string;
  readonly senderEmail: string;
  /** True when `senderEmail` was not given and the placeholder is used. */
  readonly senderEmailIsPlaceholder: boolean;
  readonly committeeEmails: readonly string[];
  readonly senderDomain?: string;
  readonly alarmEmail?: string;
  readonly appOrigin?: string;
  readonly certificateArn?: string;
  /** Years a kept report is locked, and years the monthly table backups are kept (1..100). */
  readonly reportRetentionYears: number;
  /** Object Lock mode of the kept reports. */
  readonly reportLockMode: ReportLockMode;
}

/** The two S3 Object Lock retention modes (the values S3 and `REPORT_LOCK_MODE` take). */
export const REPORT_LOCK_MODES = ['GOVERNANCE', 'COMPLIANCE'] as const;
export type ReportLockMode = (typeof REPORT_LOCK_MODES)[number];

/** Default of `reportRetentionYears`. */
export const DEFAULT_REPORT_RETENTION_YEARS = 10;

/** The context keys read by {@link parseConfig}, in the order they are documented. */
export const CONTEXT_KEYS = [
  'stage',
  'committeeName',
  'committeePlace',
  'superiorCommittee',
  'timeZone',
  'senderEmail',
  'committeeEmails',
  'senderDomain',
  'alarmEmail',
  'appOrigin',
  'certificateArn',
  'reportRetentionYears',
  'reportLockMode',
] as const;

/** Raw context: whatever the CDK CLI or a test passes in. */
export type RawContext = Partial<Record<(typeof CONTEXT_KEYS)[number], unknown>>;

/** An empty string (`-c alarmEmail=`) means "not given". */
const blankToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const trimmed = z.string().trim();
const email = trimmed.pipe(z.email({ error: 'must be an e-mail address' }));

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};

const RETENTION_YEARS_ERROR = 'must be a whole number of years from 1 to 100';

const schema = z.object({
  stage: z.preprocess(
    blankToUndefined,
    trimmed
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,31}$/, {
        error: 'must start with a letter and contain only letters, digits and hyphens (at most 32)',
      })
      .default('dev'),
  ),
  committeeName: z.preprocess(blankToUndefined, trimmed.max(200).default('Đảng ủy Sở')),
  committeePlace: z.preprocess(blankToUndefined, trimmed.min(1).max(100).optional()),
  superiorCommittee: z.preprocess(blankToUndefined, trimmed.min(1).max(200).optional()),
  timeZone: z.preprocess(
    blankToUndefined,
    trimmed
      .refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' })
      .default('Asia/Ho_Chi_Minh'),
  ),
  senderEmail: z.preprocess(blankToUndefined, email.optional()),
  committeeEmails: z.preprocess((value) => {
    if (value === undefined || value === null) return [];
    const list = typeof value === 'string' ? value.split(',') : value;
    return Array.isArray(list)
      ? list.map((item) => (typeof item === 'string' ? item.trim() : item)).filter((item) => item !== '')
      : list;
  }, z.array(email)),
  senderDomain: z.preprocess(
    blankToUndefined,
    trimmed
      .toLowerCase()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
        error: 'must be a domain name such as example.vn',
      })
      .optional(),
  ),
  alarmEmail: z.preprocess(blankToUndefined, email.optional()),
  appOrigin: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim().replace(/\/+$/, '')) : value),
    trimmed
      .refine(isOrigin, {
        error: 'must be an origin such as https://baocao.example.org (scheme and host, no path)',
      })
      .optional(),
  ),
  certificateArn: z.preprocess(
    blankToUndefined,
    trimmed
      .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, {
        error: 'must be the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>)',
      })
      .optional(),
  ),
  // `-c reportRetentionYears=10` arrives as a string, cdk.json may give a number.
  reportRetentionYears: z.preprocess(
    (value) => {
      const given = blankToUndefined(value);
      return typeof given === 'string' && /^\s*\d+\s*$/.test(given) ? Number(given) : given;
    },
    z
      .number({ error: RETENTION_YEARS_ERROR })
      .int({ error: RETENTION_YEARS_ERROR })
      .min(1, { error: RETENTION_YEARS_ERROR })
      .max(100, { error: RETENTION_YEARS_ERROR })
      .default(DEFAULT_REPORT_RETENTION_YEARS),
  ),
  reportLockMode: z.preprocess(
    (value) => (typeof value === 'string' ? blankToUndefined(value.trim().toUpperCase()) : value),
    z.enum(REPORT_LOCK_MODES, { error: 'must be GOVERNANCE or COMPLIANCE' }).default('GOVERNANCE'),
  ),
});

/** Thrown when a context value is invalid; the message names every bad value. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid CDK context:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the raw context and fills in defaults. Fails fast, naming each bad key and the
 * value it got, e.g. `senderEmail = "nobody": must be an e-mail address`.
 */
export function parseConfig(raw: RawContext): BaocaoConfig {
  // `reportInput` puts the offending value on each issue, so the message can quote it.
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const [key, ...rest] = issue.path;
        const name = [String(key), ...rest.map((part) => `[${String(part)}]`)].join('');
        return `${name} = ${JSON.stringify(issue.input)}: ${issue.message}`;
      }),
    );
  }
  const { senderEmail, ...rest } = result.data;
  const problems = crossFieldProblems(result.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...rest,
    senderEmail: senderEmail ?? PLACEHOLDER_SENDER_EMAIL,
    senderEmailIsPlaceholder: senderEmail === undefined,
  };
}

/** Rules between values: each names the values involved. */
function crossFieldProblems(config: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  if (config.senderDomain !== undefined) {
    const domain = config.senderEmail?.split('@')[1]?.toLowerCase();
    if (domain !== config.senderDomain) {
      problems.push(
        `senderEmail = ${JSON.stringify(config.senderEmail ?? '')}: must be an address at senderDomain ${config.senderDomain}`,
      );
    }
  }
  if (config.certificateArn !== undefined) {
    const origin = config.appOrigin === undefined ? undefined : new URL(config.appOrigin);
    if (origin === undefined || origin.protocol !== 'https:' || origin.port !== '') {
      problems.push(
        `certificateArn = ${JSON.stringify(config.certificateArn)}: needs appOrigin = https://<custom domain> (no port), the domain the certificate is for`,
      );
    }
  }
  return problems;
}
