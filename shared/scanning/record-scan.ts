/**
 * Keeping a malware scan's result on the file it is about (docs/malware-scanning.md): the same
 * use case for GuardDuty's result events on AWS and for the local ClamAV scan. A file is
 * "Đang kiểm tra" until a result arrives; an infected one is quarantined — recorded as such, so
 * that no download or export hands it out (and on AWS the bucket policy refuses reads of any
 * object GuardDuty has not tagged clean) — and its unit and the committee are told, once.
 */
import type { AuditLog } from '#shared/audit/ports.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { boundedScanText, type FileScanResult, type ScanEngine } from '#shared/domain/scan-result.ts';
import type { Clock, MailQueue, PlanStore } from '#shared/ports.ts';
import type { ScannedFile, ScanRef, ScanResultStore, ScanVerdict } from './ports.ts';

export interface RecordScanDeps {
  results: ScanResultStore;
  plans: Pick<PlanStore, 'getPlan'>;
  /** The unit's and the committee's notices of a quarantined file. */
  mail: MailQueue;
  audit: AuditLog;
  clock: Clock;
  /**
   * Who the committee's notice goes to, read when one is sent: its members, else its configured
   * addresses (shared/committee/committee-mail.ts `committeeRecipients`). None: no notice.
   */
  committeeRecipients(): Promise<string[]>;
  /** The app's URL, for the committee's link to the unit's page. */
  appUrl?: string | undefined;
  log: { warn(message: string, attributes: Record<string, string | number | boolean | undefined>): void };
}

/**
 * Thrown when the result is about a file that is not recorded yet, or not yet shown on its
 * assignment: the recorder keeps the copy (which GuardDuty scans at once) before it records and
 * promotes it. The queue delivers the result again; after its receive limit it goes to the
 * dead-letter queue, whose alarm tells the operator.
 */
export class ScanNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScanNotReadyError';
  }
}

export type RecordScanOutcome =
  | { status: 'saved'; result: FileScanResult; quarantined: boolean }
  | { status: 'unchanged'; result: FileScanResult }
  /** The result is about another object than the one recorded (a copy that lost a race): ignored. */
  | { status: 'other-object' };

/** The mail keys of a quarantine's notices (the mailer sends each key once). */
export function quarantineMailKeys(ref: Omit<ScanRef, 'key' | 'versionId' | 'version'>) {
  const base = `${ref.planId}#${ref.year}#${ref.unitId}#quarantined-${ref.uploadId}`;
  return { unit: base, committee: `${base}#committee` };
}

/** The result a verdict makes (texts bounded). */
export function scanResult(verdict: ScanVerdict, engine: ScanEngine, scannedAt: Date): FileScanResult {
  return {
    status: verdict.status,
    engine: verdict.status === 'not-scanned' ? 'none' : engine,
    ...(verdict.status === 'infected' ? { threat: boundedScanText(verdict.threat) || 'không rõ tên' } : {}),
    ...('detail' in verdict ? { detail: boundedScanText(verdict.detail) } : {}),
    scannedAt: scannedAt.toISOString(),
  };
}

/**
 * Keeps one scan result. Throws {@link ScanNotReadyError} (retry later) when the file is not
 * recorded or not promoted yet, and on transient store failures.
 */
export async function recordScanResult(
  deps: RecordScanDeps,
  ref: ScanRef,
  result: FileScanResult,
): Promise<RecordScanOutcome> {
  const file = await deps.results.findFile(ref);
  if (!file) throw new ScanNotReadyError(`Upload ${ref.uploadId} is not recorded yet`);
  if (file.key !== ref.key || (file.versionId && ref.versionId && file.versionId !== ref.versionId)) {
    deps.log.warn('Scan result of an object that is not the recorded file ignored', {
      key: ref.key,
      uploadId: ref.uploadId,
      status: result.status,
    });
    return { status: 'other-object' };
  }
  const saved = await deps.results.saveScan(ref, result);
  if (saved.version === 'no-file') throw new ScanNotReadyError(`Upload ${ref.uploadId} is not recorded yet`);
  const quarantined = saved.version === 'written' && result.status === 'infected';
  // The audit record goes with the first write only; the notices go again with every delivery
  // of an infected result (the mailer sends each key once), so a failed enqueue is retried.
  if (quarantined) await recordQuarantine(deps, ref, file, result);
  if (result.status === 'infected') await tellQuarantine(deps, ref, file, result);
  if (saved.assignment === 'not-promoted') {
    throw new ScanNotReadyError(`Upload ${ref.uploadId}: its version is not on the assignment yet`);
  }
  return saved.version === 'written'
    ? { status: 'saved', result, quarantined }
    : { status: 'unchanged', result };
}

async function recordQuarantine(
  deps: RecordScanDeps,
  ref: ScanRef,
  file: ScannedFile,
  result: FileScanResult,
): Promise<void> {
  await deps.audit.record({
    kind: 'upload.quarantined',
    actor: { type: 'system', id: `malware-scan:${result.engine}` },
    target: { planId: ref.planId, year: ref.year, unitId: ref.unitId, ref: ref.uploadId },
    outcome: 'refused',
    details: {
      fileName: file.fileName,
      threat: result.threat ?? '',
      engine: result.engine,
      reason: 'malware',
      key: ref.key,
    },
  });
}

async function tellQuarantine(
  deps: RecordScanDeps,
  ref: ScanRef,
  file: ScannedFile,
  result: FileScanResult,
): Promise<void> {
  const plan = await deps.plans.getPlan(ref.planId);
  const header = {
    planNumber: plan?.number ?? ref.planId,
    planTitle: plan?.title ?? '',
    unitName: file.unitName,
    fileName: file.fileName,
    threat: result.threat ?? 'không rõ tên',
  };
  const keys = quarantineMailKeys(ref);
  const base = { planId: ref.planId, year: ref.year, unitId: ref.unitId };
  const messages: MailMessage[] = [
    {
      template: 'quarantined',
      key: keys.unit,
      ...base,
      to: [file.email],
      cc: file.cc,
      data: { ...header, audience: 'unit' },
    },
  ];
  const committee = await deps.committeeRecipients();
  if (committee.length > 0) {
    const pageUrl = deps.appUrl
      ? `${deps.appUrl.replace(/\/$/, '')}/admin/plans/${encodeURIComponent(ref.planId)}/${ref.year}/units/${encodeURIComponent(ref.unitId)}`
      : undefined;
    messages.push({
      template: 'quarantined',
      key: keys.committee,
      ...base,
      unitId: 'committee',
      to: committee,
      cc: [],
      data: { ...header, audience: 'committee', ...(pageUrl ? { pageUrl } : {}) },
    });
  }
  await deps.mail.enqueue(messages);
}
