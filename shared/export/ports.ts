import type { Readable } from 'node:stream';
import type { Deps } from '#shared/deps.ts';
import type { SubmissionVersion } from '#shared/domain/submission.ts';
import type { MailQueue } from '#shared/ports.ts';
import type { ChildPack, PackContent } from './pack-content.ts';

/**
 * The ports of the consolidated results (the export): what the exporter reads and writes besides
 * the plan and submission stores. Adapters: `shared/adapters/dynamodb/version-reader.ts`,
 * `shared/adapters/dynamodb/export-store.ts`, `shared/adapters/s3/report-reader.ts`,
 * `shared/adapters/s3/export-writer.ts`.
 */

/** A unit's submission versions (item `VERSION#<unitId>#<000001>` in the period partition). */
export interface VersionReader {
  getVersion(
    planId: string,
    year: number,
    unitId: string,
    version: number,
  ): Promise<SubmissionVersion | undefined>;
  /**
   * The versions named, of units of one period, read together (BatchGetItem: one request per 100,
   * not one per unit): those found, in no particular order.
   */
  getVersions(planId: string, year: number, refs: readonly VersionRef[]): Promise<SubmissionVersion[]>;
}

/** One unit's version, as {@link VersionReader.getVersions} names it. */
export interface VersionRef {
  unitId: string;
  version: number;
}

/** The report objects in the reports bucket (`reports/<planId>/<year>/<unitId>/<uploadId>`). */
export interface ReportReader {
  /**
   * The object's bytes as a stream, opened now (one S3 GET). Rejects with {@link MissingReportError}
   * when the object does not exist.
   */
  open(key: string, versionId?: string): Promise<Readable>;
}

/** Thrown by a {@link ReportReader} for an object that is not there. */
export class MissingReportError extends Error {
  constructor(readonly key: string) {
    super(`Report object not found: ${key}`);
    this.name = 'MissingReportError';
  }
}

/** Where finished packs go: `exports/<planId>/<year>/<exportId>.zip` in the reports bucket. */
export interface ExportWriter {
  /**
   * Uploads the stream to `key` as it is produced (S3 multipart upload, bounded part buffering).
   * Rejects, leaving no object and no pending upload behind, when the stream errors.
   */
  upload(key: string, body: Readable, contentType: string): Promise<void>;
}

export type ExportState = 'building' | 'ready' | 'failed';

/** Item `EXPORT#<exportId>` in the period partition `PERIOD#<planId>#<year>`. */
export interface ExportRecord {
  planId: string;
  year: number;
  exportId: string;
  state: ExportState;
  /** Who asked: a committee address, `planner`, `cli`, … */
  requestedBy: string;
  createdAt: string;
  /** When the pack was finished (ready) or given up (failed); null while building. */
  finishedAt: string | null;
  /** S3 key of the pack. */
  key: string;
  /** Size of the ZIP in bytes (ready only). */
  size: number | null;
  /** Expected units and files in the pack (ready only). */
  units: number | null;
  files: number | null;
  /** Why it failed (English, for the log and the operator). */
  error: string | null;
}

/** The export records of a period. Every state change is a single-item conditional write. */
export interface ExportStore {
  /** Creates the record once; false when an export with this id exists. */
  create(record: ExportRecord): Promise<boolean>;
  get(planId: string, year: number, exportId: string): Promise<ExportRecord | undefined>;
  /** The period's exports, oldest first (ids sort by time). */
  list(planId: string, year: number): Promise<ExportRecord[]>;
  /** failed → building (a retried invocation); false when the record is not failed. */
  restart(planId: string, year: number, exportId: string, now: string): Promise<boolean>;
  /** building → ready with the pack's figures; false when the record was not building. */
  markReady(
    planId: string,
    year: number,
    exportId: string,
    result: { finishedAt: string; size: number; units: number; files: number },
  ): Promise<boolean>;
  /** building → failed; false when the record was not building. */
  markFailed(
    planId: string,
    year: number,
    exportId: string,
    finishedAt: string,
    error: string,
  ): Promise<boolean>;
}

/** What building the pack reads: the stores of the period, the versions, the report objects. */
export interface PackDeps extends Deps {
  versions: VersionReader;
  reports: ReportReader;
  /** The child committees' periods to add under `cap-duoi/` (docs/tenancy.md); none when absent. */
  childContent?: ((content: PackContent) => Promise<ChildPack[]>) | undefined;
}

/** What the export use case needs besides the pack's inputs. */
export interface ExportDeps extends PackDeps {
  exports: ExportStore;
  writer: ExportWriter;
  mailQueue: MailQueue;
  /**
   * Who the `export-ready` e-mail goes to, read when it is sent: the committee's members, else
   * its configured addresses (shared/committee/committee-mail.ts `committeeRecipients`). None:
   * no e-mail.
   */
  committeeRecipients(): Promise<string[]>;
  /** Public base URL of the app (APP_URL); the e-mail links to the period's page there. */
  appUrl: string | undefined;
}

/** What the exporter is invoked with (validated again by the exporter). */
export interface ExportInvocation {
  planId: string;
  year: number;
  exportId: string;
  requestedBy: string;
}

/** Starts the exporter without waiting for it: a Lambda async invoke on AWS, in-process locally. */
export interface ExportInvoker {
  invoke(event: ExportInvocation): Promise<void>;
}
