import * as z from 'zod/mini';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const emailList = z.pipe(
  z.pipe(
    z._default(z.string(), ''),
    z.transform((s: string) =>
      s
        .split(/[,;\s]+/)
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  ),
  z.array(z.email()),
);

const optionalUrl = z.optional(z.url());
const name = z.string().check(z.minLength(3));

/**
 * Every setting the functions, the CLI and the local stack read, validated once at start.
 * zod/mini (functional checks) rather than classic zod's methods: the same validation, ~70 KB
 * less in every Lambda bundle, because unused checks can be tree-shaken.
 */
const configSchema = z.object({
  PLANS_TABLE: name,
  SUBMISSIONS_TABLE: name,
  REPORTS_BUCKET: name,
  TIME_ZONE: z._default(z.string(), 'Asia/Ho_Chi_Minh').check(z.refine(isTimeZone, 'not an IANA time zone')),
  COMMITTEE_NAME: z._default(z.string().check(z.minLength(1)), 'Đảng ủy Sở'),
  SENDER_EMAIL: z._default(z.email(), 'no-reply@example.org'),
  COMMITTEE_EMAILS: emailList,
  /** Public base URL of the app, used in e-mailed links. */
  APP_URL: optionalUrl,
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'ap-southeast-1'),
  /** Per-file upload limit in bytes (default 25 MiB). */
  MAX_UPLOAD_BYTES: z._default(
    z.pipe(z.coerce.number(), z.int().check(z.gte(1024), z.lte(5 * 1024 ** 3))),
    25 * 1024 * 1024,
  ),
  /**
   * Seconds a warm function reuses a plan and period it read for a unit's link (default 30; 0
   * reads them every time, as the local stack does). Deadlines and closing are decided from the
   * unit's assignment, always read fresh, and from the clock.
   */
  LINK_PLAN_CACHE_SECONDS: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(0), z.lte(300))), 30),
  /** New submissions a unit may start per committee-local day (default 20). */
  MAX_VERSIONS_PER_DAY: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(1000))), 20),
  /** Years a receipted report is locked (S3 Object Lock retention of its kept copy; default 10). */
  REPORT_RETENTION_YEARS: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(100))), 10),
  /** Object Lock mode of kept reports: GOVERNANCE (default) or COMPLIANCE. */
  REPORT_LOCK_MODE: z._default(z.enum(['GOVERNANCE', 'COMPLIANCE']), 'GOVERNANCE'),
  /** AWS: Secrets Manager ARN of the link-signing key. */
  LINK_KEY_SECRET_ARN: z.optional(z.string()),
  /** AWS: Secrets Manager ARN of the session key (committee sign-in). */
  SESSION_KEY_SECRET_ARN: z.optional(z.string()),
  /** AWS: URL of the mail queue. */
  MAIL_QUEUE_URL: optionalUrl,
  /** AWS: name of the exporter function, invoked asynchronously by the admin function and the planner. */
  EXPORTER_FUNCTION_NAME: z.optional(z.string().check(z.minLength(1))),
  /** SES configuration set for every e-mail (bounce and complaint events). */
  SES_CONFIGURATION_SET: z.optional(z.string()),
  /** Local mode only: folder holding the generated keys (instead of Secrets Manager). */
  BAOCAO_SECRETS_DIR: z.optional(z.string()),
  /** Local mode only: endpoints of the emulators. Unset on AWS. */
  BAOCAO_DYNAMODB_ENDPOINT: optionalUrl,
  BAOCAO_S3_ENDPOINT: optionalUrl,
  BAOCAO_SES_ENDPOINT: optionalUrl,
  /**
   * Local mode only: the app is served over plain http on loopback, so cookies cannot be Secure.
   * Never set on AWS.
   */
  BAOCAO_LOCAL_MODE: z.pipe(
    z._default(z.enum(['true', 'false']), 'false'),
    z.transform((v: 'true' | 'false') => v === 'true'),
  ),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown at start when a setting is missing or invalid; names every bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each missing or invalid setting. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

let cached: Config | undefined;

/**
 * A Lambda function's configuration, parsed once from process.env on first use (its runtime's;
 * the local stack and the CLI parse their own settings with {@link parseConfig}).
 */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
