/**
 * FAKES FOR FAST USE-CASE TESTS: one runtime (STYLE.md point 16: wiring is a value) of in-memory
 * ports, and the deps of every use case built from it, as functions/wiring/create-*-deps.ts build
 * them from AWS or the emulators. The use cases are the real ones; only the adapters are fakes,
 * each checked against its real adapter by ./store-contracts.ts (tables) or documented where it
 * differs (./bucket.ts, ./mail.ts). The integration tests (test/integration/) run the same use
 * cases against the emulators.
 */

import { NO_SCANNER } from '#shared/adapters/clamav/clamscan-scanner.ts';
import { ChainedAuditLog } from '#shared/audit/append.ts';
import type { CommitteeSettings, Deps } from '#shared/deps.ts';
import { DEFAULT_MAX_UPLOAD_BYTES } from '#shared/domain/submission.ts';
import { buildExport } from '#shared/export/build-export.ts';
import type { ExportDeps } from '#shared/export/ports.ts';
import { StartExport } from '#shared/export/start-export.ts';
import type { MailDeps } from '#shared/mail/deliver-mail.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import type { RecordingLog } from '#shared/recording/ports.ts';
import type { RecordingDeps } from '#shared/recording/record-upload.ts';
import { ScanNotReadyError } from '#shared/scanning/record-scan.ts';
import { type ScanFileDeps, scanKeptFile } from '#shared/scanning/scan-file.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { SignedUploadLinks } from '#shared/uploads/signed-links.ts';
import { MemoryAuditStore } from './audit-store.ts';
import { MemoryAuthStore } from './auth-store.ts';
import {
  MemoryBucket,
  MemoryExportWriter,
  MemoryReportObjects,
  MemoryReportReader,
  MemoryUploadSigner,
} from './bucket.ts';
import { ManualClock } from './clock.ts';
import { MemoryDeliveryStore } from './delivery-store.ts';
import { MemoryExportStore, MemoryVersionReader } from './export-store.ts';
import { fixedKeys, MemoryExportInvoker } from './links.ts';
import { CapturingMailSender, MemoryMailQueue } from './mail.ts';
import { MemoryPlanStore } from './plan-store.ts';
import { MemoryRateLimitStore } from './rate-limit-store.ts';
import { MemoryRecordingStore } from './recording-store.ts';
import { MemoryScanStore } from './scan-store.ts';
import { MemorySubmissionStore } from './submission-store.ts';
import { MemoryTables } from './table.ts';
import { MemoryUploadStore } from './upload-store.ts';

export interface MemoryRuntimeOptions {
  /** The clock's first instant (ISO-8601). */
  now: string;
  committeeName?: string;
  timeZone?: string;
  /** COMMITTEE_EMAILS: digests and export notices. */
  committeeEmails?: string[];
  appUrl?: string;
  senderEmail?: string;
  maxUploadBytes?: number;
  maxVersionsPerDay?: number;
  /** A versioned reports bucket, as on AWS (default: none, as s3rver). */
  versionedBucket?: boolean;
  /** Mail delivered as it is queued (default), or when the test drains the queue. */
  mailDelivery?: 'sync' | 'manual';
}

/** Log lines of the recording use case, kept for assertions. */
export class MemoryLog implements RecordingLog {
  readonly lines: { level: 'info' | 'warn'; message: string; attributes: Record<string, unknown> }[] = [];

  info(message: string, attributes: Record<string, string | number | boolean | undefined>): void {
    this.lines.push({ level: 'info', message, attributes });
  }

  warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
}

export interface MemoryRuntime {
  clock: ManualClock;
  tables: MemoryTables;
  bucket: MemoryBucket;
  sender: CapturingMailSender;
  mailQueue: MemoryMailQueue;
  exportInvoker: MemoryExportInvoker;
  log: MemoryLog;
  stores: {
    plans: MemoryPlanStore;
    submissions: MemorySubmissionStore;
    uploads: MemoryUploadStore;
    recording: MemoryRecordingStore;
    deliveries: MemoryDeliveryStore;
    exports: MemoryExportStore;
    versions: MemoryVersionReader;
    auth: MemoryAuthStore;
  };
  /** The audit log's records (its chain, as the DynamoDB adapter keeps it). */
  auditStore: MemoryAuditStore;
  settings: CommitteeSettings;
  /** The common collaborators (and what `openPeriod` needs to e-mail a unit added late). */
  deps: PlannerDeps;
  uploadDeps: UploadDeps;
  recordingDeps: RecordingDeps;
  mailDeps: MailDeps;
  plannerDeps: PlannerDeps;
  exportDeps: ExportDeps;
}

/** Upload nonces 1, 2, 3 … as 32 hex digits: deterministic keys. */
function counterIds(): () => string {
  let n = 0;
  return () => (++n).toString(16).padStart(32, '0');
}

/** Every port in memory, wired to the real use cases. */
export function createMemoryRuntime(options: MemoryRuntimeOptions): MemoryRuntime {
  const clock = new ManualClock(options.now);
  const tables = new MemoryTables();
  const bucket = new MemoryBucket('baocao-reports', clock, { versioned: options.versionedBucket ?? false });
  const sender = new CapturingMailSender(clock);
  const log = new MemoryLog();
  const settings: CommitteeSettings = {
    committeeName: options.committeeName ?? 'Đảng ủy Sở',
    timeZone: options.timeZone ?? 'Asia/Ho_Chi_Minh',
  };
  const stores = {
    plans: new MemoryPlanStore(tables.plans),
    submissions: new MemorySubmissionStore(tables.submissions),
    uploads: new MemoryUploadStore(tables),
    recording: new MemoryRecordingStore(tables.submissions),
    deliveries: new MemoryDeliveryStore(tables.submissions),
    exports: new MemoryExportStore(tables.submissions),
    versions: new MemoryVersionReader(tables.submissions),
    auth: new MemoryAuthStore(tables.plans),
  };
  const mailDeps: MailDeps = {
    deliveries: stores.deliveries,
    sender,
    clock,
    from: options.senderEmail ?? 'no-reply@example.org',
    committeeName: settings.committeeName,
  };
  const mailQueue = new MemoryMailQueue(mailDeps, { delivery: options.mailDelivery ?? 'sync' });
  const appUrl = options.appUrl ?? 'https://baocao.example.org';
  const committeeEmails = options.committeeEmails ?? [];
  const keys = fixedKeys();
  const auditStore = new MemoryAuditStore();
  const common: Deps = {
    plans: stores.plans,
    submissions: stores.submissions,
    clock,
    settings,
    audit: new ChainedAuditLog(auditStore, clock, { sleep: async () => {} }),
  };
  const exportDeps: ExportDeps = {
    ...common,
    versions: stores.versions,
    reports: new MemoryReportReader(bucket),
    exports: stores.exports,
    writer: new MemoryExportWriter(bucket),
    mailQueue,
    committeeRecipients: async () => committeeEmails,
    appUrl,
  };
  // The exporter Lambda: the same use case as functions/exporter.ts runs.
  const exportInvoker = new MemoryExportInvoker((event) =>
    buildExport(exportDeps, event.planId, event.year, {
      exportId: event.exportId,
      requestedBy: event.requestedBy,
    }),
  );
  const plannerDeps: PlannerDeps = {
    ...common,
    mailQueue,
    links: new SignedUploadLinks(appUrl, () => keys),
    exports: new StartExport({ ...common, exports: stores.exports }, exportInvoker),
    planner: { digestRecipients: async () => committeeEmails, appUrl },
  };
  const uploadDeps: UploadDeps = {
    ...common,
    uploads: stores.uploads,
    signer: new MemoryUploadSigner(bucket, clock),
    keys,
    limits: new MemoryRateLimitStore(tables.plans),
    uploadSettings: {
      appUrl,
      maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      maxVersionsPerDay: options.maxVersionsPerDay ?? 20,
    },
    newUploadId: counterIds(),
  };
  const recordingDeps: RecordingDeps = {
    store: stores.recording,
    objects: new MemoryReportObjects(bucket, clock),
    mail: mailQueue,
    plans: stores.plans,
    clock,
    settings,
    maxUploadBytes: uploadDeps.uploadSettings.maxUploadBytes,
    bucket: bucket.name,
    retention: { mode: 'GOVERNANCE', years: 10 },
    log,
    audit: common.audit,
    // As a local stack without ClamAV: every kept file "Không quét", kept on its version at once
    // (docs/malware-scanning.md); test/unit/scanning/ covers the scanners themselves.
    scans: {
      enqueue: async (requests) => {
        const scanDeps: ScanFileDeps = {
          results: new MemoryScanStore(tables.submissions),
          plans: stores.plans,
          mail: mailQueue,
          audit: common.audit,
          clock,
          committeeRecipients: async () => committeeEmails,
          appUrl,
          log,
          scanner: NO_SCANNER,
          files: { read: async () => undefined },
          maxScanBytes: uploadDeps.uploadSettings.maxUploadBytes,
        };
        for (const request of requests) {
          try {
            await scanKeptFile(scanDeps, request);
          } catch (error) {
            if (!(error instanceof ScanNotReadyError)) throw error;
          }
        }
      },
    },
  };
  return {
    clock,
    tables,
    bucket,
    sender,
    mailQueue,
    exportInvoker,
    log,
    stores,
    auditStore,
    settings,
    deps: plannerDeps,
    uploadDeps,
    recordingDeps,
    mailDeps,
    plannerDeps,
    exportDeps,
  };
}
