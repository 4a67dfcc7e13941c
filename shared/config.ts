import * as v from 'valibot';
import { isEmailAddress, isHttpUrl } from './domain/formats.ts';
import { COMMITTEE_ID_PATTERN } from './domain/ids.ts';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const email = v.pipe(v.string(), v.check(isEmailAddress, 'not an e-mail address'));
const emailList = v.pipe(
  v.optional(v.string(), ''),
  v.transform((s: string) =>
    s
      .split(/[,;\s]+/)
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  ),
  v.array(email),
);
const url = v.pipe(v.string(), v.check(isHttpUrl, 'not an http(s) URL'));
const optionalUrl = v.optional(url);
const name = v.pipe(v.string(), v.minLength(3));
const text = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));
/** An integer setting within [min, max], given as text in the environment. */
const int = (min: number, max: number, fallback: number) =>
  v.optional(
    v.pipe(v.string(), v.transform(Number), v.number(), v.integer(), v.minValue(min), v.maxValue(max)),
    String(fallback),
  );

/**
 * Every setting the functions, the CLI and the local stack read, validated once at start.
 * valibot rather than zod: the same validation, each check a function that the bundler keeps
 * only where used (zod/mini cost every Lambda bundle ~30 KB, valibot ~5 KB: docs/BENCHMARKS.md).
 */
const configSchema = v.object({
  PLANS_TABLE: name,
  SUBMISSIONS_TABLE: name,
  REPORTS_BUCKET: name,
  TIME_ZONE: v.pipe(v.optional(v.string(), 'Asia/Ho_Chi_Minh'), v.check(isTimeZone, 'not an IANA time zone')),
  COMMITTEE_NAME: v.optional(text(1, 200), 'Đảng ủy Sở'),
  /**
   * The id of the deployment's first committee (docs/tenancy.md): the one `COMMITTEE_NAME` and
   * `TIME_ZONE` describe, whose data keeps unprefixed keys.
   */
  COMMITTEE_ID: v.optional(v.pipe(v.string(), v.regex(COMMITTEE_ID_PATTERN)), 'main'),
  /** Place in the date line of the compiled report ("Hải Dương, ngày … tháng … năm …"); unset: left blank. */
  COMMITTEE_PLACE: v.optional(text(1, 100)),
  /** The superior committee ("Đảng ủy Khối các cơ quan tỉnh"): the report's header and "Nơi nhận"; unset: from the plan. */
  SUPERIOR_COMMITTEE: v.optional(text(1, 200)),
  SENDER_EMAIL: v.optional(email, 'no-reply@example.org'),
  COMMITTEE_EMAILS: emailList,
  /** Public base URL of the app, used in e-mailed links. */
  APP_URL: optionalUrl,
  AWS_REGION: v.optional(text(1, 100), 'ap-southeast-1'),
  /** Per-file upload limit in bytes (default 25 MiB). */
  MAX_UPLOAD_BYTES: int(1024, 5 * 1024 ** 3, 25 * 1024 * 1024),
  /**
   * Seconds a warm function reuses a plan and period it read for a unit's link (default 30; 0
   * reads them every time, as the local stack does). Deadlines and closing are decided from the
   * unit's assignment, always read fresh, and from the clock.
   */
  LINK_PLAN_CACHE_SECONDS: int(0, 300, 30),
  /** New submissions a unit may start per committee-local day (default 20). */
  MAX_VERSIONS_PER_DAY: int(1, 1000, 20),
  /** Years a receipted report is locked (S3 Object Lock retention of its kept copy; default 10). */
  REPORT_RETENTION_YEARS: int(1, 100, 10),
  /** Object Lock mode of kept reports: GOVERNANCE (default) or COMPLIANCE. */
  REPORT_LOCK_MODE: v.optional(v.picklist(['GOVERNANCE', 'COMPLIANCE']), 'GOVERNANCE'),
  /** AWS: Secrets Manager ARN of the link-signing key. */
  LINK_KEY_SECRET_ARN: v.optional(v.string()),
  /** AWS: Secrets Manager ARN of the session key (committee sign-in). */
  SESSION_KEY_SECRET_ARN: v.optional(v.string()),
  /** AWS: URL of the mail queue. */
  MAIL_QUEUE_URL: optionalUrl,
  /** AWS: URL of the planner queue (one message per committee per day; docs/tenancy.md), sent to by the daily tick. */
  PLANNER_QUEUE_URL: optionalUrl,
  /** AWS: URL of the signatures queue (PDFs to check; docs/signatures.md). */
  SIGNATURE_QUEUE_URL: optionalUrl,
  /**
   * AWS: the trust store's deployed asset (S3 bucket and key of a JSON list of anchors, built from
   * `trust/` at synth), read by the verifier besides the anchors added with `baocao trust add`.
   */
  TRUST_ASSET_BUCKET: v.optional(text(3, 2048)),
  TRUST_ASSET_KEY: v.optional(text(1, 2048)),
  /** AWS: name of the exporter function, invoked asynchronously by the admin function and the planner. */
  EXPORTER_FUNCTION_NAME: v.optional(text(1, 2048)),
  /** AWS: name of the document-reader function (PDF, Word, Excel), invoked synchronously by setup-api. */
  DOCUMENT_READER_FUNCTION_NAME: v.optional(text(1, 2048)),
  /** SES configuration set for every e-mail (bounce and complaint events). */
  SES_CONFIGURATION_SET: v.optional(v.string()),
  /** The audit log's table (docs/audit.md); unset: nothing is recorded (a runtime without one). */
  AUDIT_TABLE: v.optional(name),
  /** AWS: the Object-Lock bucket of the signed audit digests; unset: `audit-digests/` in the reports bucket (local mode). */
  AUDIT_DIGEST_BUCKET: v.optional(name),
  /** AWS: the KMS asymmetric key (id, ARN or alias) that signs the audit digests; unset: a local key in BAOCAO_SECRETS_DIR. */
  AUDIT_KMS_KEY_ID: v.optional(text(1, 2048)),
  /** Days a client IP address is kept beside its audit record (default 90), then dropped. */
  AUDIT_IP_RETENTION_DAYS: int(1, 3650, 90),
  /**
   * The malware scanner of local mode (docs/malware-scanning.md): `clamav` (default) runs
   * CLAMSCAN_COMMAND on each kept file; `none` marks every file "Không quét". On AWS GuardDuty
   * Malware Protection for S3 scans the kept reports and this is not read.
   */
  MALWARE_SCANNER: v.optional(v.picklist(['clamav', 'none']), 'clamav'),
  /** The clamscan program: a name on PATH or a path (default `clamscan`). */
  CLAMSCAN_COMMAND: v.optional(text(1, 1024), 'clamscan'),
  /** ClamAV's signature database: a folder of .cvd/.cld files or one database file (default /var/lib/clamav). */
  CLAMAV_DATABASE: v.optional(text(1, 1024), '/var/lib/clamav'),
  /** Seconds one scan may take before it is killed and counted as failed (default 120). */
  SCAN_TIMEOUT_SECONDS: int(1, 900, 120),
  /** Local mode only: folder holding the generated keys (instead of Secrets Manager). */
  BAOCAO_SECRETS_DIR: v.optional(v.string()),
  /** Local mode only: endpoints of the emulators. Unset on AWS. */
  BAOCAO_DYNAMODB_ENDPOINT: optionalUrl,
  BAOCAO_S3_ENDPOINT: optionalUrl,
  BAOCAO_SES_ENDPOINT: optionalUrl,
  /**
   * Local mode only: the app is served over plain http on loopback, so cookies cannot be Secure.
   * Never set on AWS.
   */
  BAOCAO_LOCAL_MODE: v.pipe(
    v.optional(v.picklist(['true', 'false']), 'false'),
    v.transform((value) => value === 'true'),
  ),
});

/**
 * The settings of a runtime: the environment's, and for a committee's runtime
 * (functions/wiring/runtime.ts `scopeRuntime`) its name and zone in place of the first
 * committee's, and the object prefix of its S3 keys (never read from the environment).
 */
export type Config = v.InferOutput<typeof configSchema> & { readonly objectPrefix?: string };

/** Thrown at start when a setting is missing or invalid; names every bad setting. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming each missing or invalid setting. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = v.safeParse(configSchema, env, { abortEarly: false });
  if (!result.success) {
    throw new ConfigError(result.issues.map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`));
  }
  return result.output;
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
