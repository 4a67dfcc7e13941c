import { ClamscanScanner, NO_SCANNER } from '#shared/adapters/clamav/clamscan-scanner.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoScanStore } from '#shared/adapters/dynamodb/scan-store.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { S3SignedFiles } from '#shared/adapters/s3/signed-files.ts';
import { committeeRecipients } from '#shared/committee/committee-mail.ts';
import type { Config } from '#shared/config.ts';
import { logger } from '#shared/powertools.ts';
import type { MalwareScanner } from '#shared/scanning/ports.ts';
import type { RecordScanDeps } from '#shared/scanning/record-scan.ts';
import type { ScanFileDeps } from '#shared/scanning/scan-file.ts';
import { createAuditLog } from './create-audit-deps.ts';
import type { Runtime } from './runtime.ts';

/**
 * What keeping a scan result needs (docs/malware-scanning.md): the submissions table (the
 * version's and the assignment's `scans`), the plan (the notices' header), the mail queue (the
 * committee's notice to every member, as the exporter's), the audit log.
 */
export function createScanResultDeps(
  runtime: Runtime,
  overrides: Partial<RecordScanDeps> = {},
): RecordScanDeps {
  const { config, dynamo } = runtime;
  return {
    results: new DynamoScanStore(dynamo, config.SUBMISSIONS_TABLE),
    plans: new DynamoPlanStore(dynamo, config.PLANS_TABLE),
    mail: runtime.mailQueue,
    audit: createAuditLog(runtime),
    clock: runtime.clock,
    // The committee's notice goes to every member (the list as it stands when it is sent).
    committeeRecipients: () =>
      committeeRecipients(new DynamoMemberStore(dynamo, config.PLANS_TABLE), config.COMMITTEE_EMAILS),
    appUrl: config.APP_URL,
    log: logger,
    ...overrides,
  };
}

/** The local scan's collaborators: the above, the kept reports' bytes and the configured scanner. */
export function createScanDeps(runtime: Runtime, overrides: Partial<ScanFileDeps> = {}): ScanFileDeps {
  const { config } = runtime;
  return {
    ...createScanResultDeps(runtime),
    scanner: createScanner(config),
    files: new S3SignedFiles(reportsLocation(config)),
    maxScanBytes: config.MAX_UPLOAD_BYTES,
    ...overrides,
  };
}

/** The scanner of local mode: clamscan as configured, or none (every file "Không quét"). */
export function createScanner(
  config: Pick<
    Config,
    'MALWARE_SCANNER' | 'CLAMSCAN_COMMAND' | 'CLAMAV_DATABASE' | 'SCAN_TIMEOUT_SECONDS' | 'MAX_UPLOAD_BYTES'
  >,
): MalwareScanner {
  if (config.MALWARE_SCANNER === 'none') return NO_SCANNER;
  return new ClamscanScanner({
    command: config.CLAMSCAN_COMMAND,
    database: config.CLAMAV_DATABASE,
    timeoutMs: config.SCAN_TIMEOUT_SECONDS * 1000,
    maxBytes: config.MAX_UPLOAD_BYTES,
  });
}
