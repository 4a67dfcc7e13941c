import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '#functions/exporter.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { submissionKeys } from '#shared/adapters/dynamodb/submission-store.ts';
import { S3ExportWriter } from '#shared/adapters/s3/export-writer.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { SubmittedFile } from '#shared/domain/period.ts';
import type { RecordedFile, SubmissionVersion } from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import { buildExport, writeExportToFile } from '#shared/export/build-export.ts';
import { SUMMARY_CSV_HEADER } from '#shared/export/csv.ts';
import type { ExportDeps } from '#shared/export/ports.ts';
import { listExports, requestExport } from '#shared/export/records.ts';
import { SUMMARY_COLUMNS } from '#shared/export/summary-columns.ts';
import { columnName } from '#shared/export/xlsx/workbook.ts';
import { renderMail } from '#shared/mail/templates.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import type { MailQueue } from '#shared/ports.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { collect, type ReadEntry, readZip } from '#test/support/zip.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The mail queue of our own MailQueue port, in memory: it stands in for SQS here (the mailer and
 * its SES delivery are covered by mailer.test.ts); the test reads what the exporter enqueued.
 */
class MemoryMailQueue implements MailQueue {
  readonly messages: MailMessage[] = [];
  async enqueue(messages: MailMessage[]): Promise<void> {
    this.messages.push(...messages);
  }
}

interface UploadedFile {
  name: string;
  bytes: Buffer;
  contentType: string;
}

describe('consolidated results (export) against the local emulators', () => {
  let stack: TestStack;
  let s3: S3Client;
  let deps: ExportDeps;
  let mail: MemoryMailQueue;
  const clock = fixedClock('2026-11-20T03:00:00Z');
  const recorded = new Map<string, { files: RecordedFile[]; notes: Record<string, string> }>();

  /**
   * Records a unit's submission the way the on-upload function does (built in parallel, so written
   * directly with the documented keys): the objects in the bucket, version 1, the assignment.
   */
  async function submit(
    unitId: string,
    files: UploadedFile[],
    notes: Record<string, string>,
    receivedAt: string,
    onTime: boolean,
  ): Promise<void> {
    const db = createDynamoDocumentClient(stack.config);
    const recordedFiles: RecordedFile[] = [];
    for (const [i, f] of files.entries()) {
      const uploadId = `${unitId}-u${i + 1}`;
      const key = `reports/${PLAN}/${YEAR}/${unitId}/${uploadId}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.config.REPORTS_BUCKET,
          Key: key,
          Body: f.bytes,
          ContentType: f.contentType,
        }),
      );
      recordedFiles.push({
        uploadId,
        fileName: f.name,
        key,
        size: f.bytes.length,
        contentType: f.contentType,
        sha256: sha256(f.bytes),
        receivedAt: new Date(Date.parse(receivedAt) + i * 1000).toISOString(),
      });
    }
    const version: SubmissionVersion = {
      planId: PLAN,
      year: YEAR,
      unitId,
      version: 1,
      createdAt: receivedAt,
      expectedFiles: files.length,
      notes,
      files: Object.fromEntries(recordedFiles.map((f) => [f.uploadId, f])),
      rejected: {},
      submittedAt: recordedFiles.at(-1)!.receivedAt,
      onTime,
      // Cleared by the malware scan (docs/malware-scanning.md): only cleared files go into the pack.
      scans: Object.fromEntries(
        recordedFiles.map((f) => [f.uploadId, { status: 'clean', engine: 'clamav', scannedAt: receivedAt }]),
      ),
    };
    await db.send(
      new PutCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Item: { ...submissionKeys.version(PLAN, YEAR, unitId, 1), type: 'version', ...version },
      }),
    );
    const copy: SubmittedFile[] = recordedFiles.map(({ receivedAt: _r, ...f }) => f);
    await db.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: submissionKeys.assignment(PLAN, YEAR, unitId),
        UpdateExpression:
          'SET #status = :status, submittedAt = :at, latestVersion = :v, versionCounter = :v, files = :files',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': onTime ? 'on_time' : 'late',
          ':at': version.submittedAt,
          ':v': 1,
          ':files': copy,
        },
      }),
    );
    recorded.set(unitId, { files: recordedFiles, notes });
  }

  async function download(key: string): Promise<Buffer> {
    const out = await s3.send(new GetObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: key }));
    return collect(out.Body as Readable);
  }

  const docxBytes = randomBytes(30_000);
  const units = [
    'id,name,email,cc',
    'cb-a,Chi bộ Văn phòng,a@example.org,',
    'cb-b,Chi bộ Phòng Tổ chức,b@example.org,',
    'cb-c,"Chi bộ Kế hoạch, Tài chính – Đảng ủy Sở",c@example.org,',
    'cb-d,Chi bộ Công đoàn,d@example.org,',
    'cb-e,Chi bộ Thanh tra,e@example.org,',
  ].join('\n');

  beforeAll(async () => {
    // No S3 events: the objects below are written as the recorder would leave them.
    stack = await startTestStack({ clock, s3Events: false });
    s3 = createS3Client(stack.config);
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(stack.deps, units);
    await openPeriod({ ...stack.deps, clock }, { planId: PLAN, year: YEAR, deadline: '2026-12-15' });
    await submit(
      'cb-a',
      [
        {
          name: 'bao-cao-2026.pdf',
          bytes: Buffer.from('%PDF-1.7 chi bộ văn phòng'),
          contentType: 'application/pdf',
        },
      ],
      {
        '1': 'Đã số hóa 1.250 hồ sơ đảng viên, đạt 100% kế hoạch.',
        '2': 'Tổ chức 6 kỳ sinh hoạt chi bộ có sử dụng phần mềm họp trực tuyến.',
      },
      '2026-12-05T02:00:00Z',
      true,
    );
    await submit(
      'cb-b',
      [
        {
          name: 'Báo cáo.docx',
          bytes: docxBytes,
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        },
        {
          name: 'báo cáo.docx',
          bytes: Buffer.from('bản sửa'),
          contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        },
      ],
      { '1': 'Số hóa 400 hồ sơ.', '3': '100% đảng viên cài đặt sổ tay đảng viên điện tử.' },
      '2026-12-14T16:59:00Z', // 23:59 on the deadline, Hà Nội time
      true,
    );
    await submit(
      'cb-c',
      [
        {
          name: 'bao cao.pdf',
          bytes: Buffer.from('%PDF-1.4 kế hoạch tài chính'),
          contentType: 'application/pdf',
        },
      ],
      { '4': 'Không để xảy ra sự cố mất an toàn thông tin.' },
      '2026-12-15T17:00:00Z', // 00:00 of the day after the deadline: late
      false,
    );
    await submit(
      'cb-d',
      [
        {
          name: 'Báo cáo 📄 năm 2026.pdf'.normalize('NFD'),
          bytes: Buffer.from('%PDF-1.5 công đoàn'),
          contentType: 'application/pdf',
        },
        {
          name: 'Bảng số liệu.xls',
          bytes: Buffer.from('số liệu '.repeat(2000)),
          contentType: 'application/vnd.ms-excel',
        },
      ],
      {},
      '2026-12-10T08:00:00Z',
      true,
    );
    clock.set('2026-12-16T01:00:00Z');
    mail = new MemoryMailQueue();
    deps = createExportDeps(stack.runtime, { clock, mailQueue: mail });
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  let entries: ReadEntry[];
  let firstExport: Awaited<ReturnType<typeof buildExport>>;
  const entry = (name: string) => entries.find((e) => e.name === name)!;

  it('streams the pack to S3 with exactly the contract layout', async () => {
    firstExport = await buildExport(deps, PLAN, YEAR, { requestedBy: 'vanphong@demo.baocao.example' });
    expect(firstExport.key).toBe(`exports/${PLAN}/${YEAR}/${firstExport.exportId}.zip`);
    const zip = await download(firstExport.key);
    expect(zip.length).toBe(firstExport.bytes);
    expect([firstExport.units, firstExport.files]).toEqual([5, 6]);
    entries = await readZip(zip);
    expect(entries.map((e) => e.name)).toEqual([
      'summary.csv',
      'tong-hop.xlsx',
      'bao-cao-tong-hop.docx',
      'don-vi/cb-a - Chi bộ Văn phòng/bao-cao-2026.pdf',
      'don-vi/cb-b - Chi bộ Phòng Tổ chức/Báo cáo.docx',
      'don-vi/cb-b - Chi bộ Phòng Tổ chức/báo cáo (2).docx',
      'don-vi/cb-c - Chi bộ Kế hoạch, Tài chính – Đảng ủy Sở/bao cao.pdf',
      'don-vi/cb-d - Chi bộ Công đoàn/Báo cáo 📄 năm 2026.pdf',
      'don-vi/cb-d - Chi bộ Công đoàn/Bảng số liệu.xls',
    ]);
    // Every name is flagged UTF-8 (bit 11), so diacritics and emoji survive any unzip tool.
    expect(entries.every((e) => e.utf8)).toBe(true);
    // Compressed formats are stored; csv and the old binary xls are deflated.
    expect(Object.fromEntries(entries.map((e) => [e.name.split('/').at(-1), e.compressionMethod]))).toEqual({
      'summary.csv': 8,
      'tong-hop.xlsx': 0,
      'bao-cao-tong-hop.docx': 0,
      'bao-cao-2026.pdf': 0,
      'Báo cáo.docx': 0,
      'báo cáo (2).docx': 0,
      'bao cao.pdf': 0,
      'Báo cáo 📄 năm 2026.pdf': 0,
      'Bảng số liệu.xls': 8,
    });
  });

  it("holds each unit's files with the SHA-256 its version records", () => {
    const byUnit = (unitId: string) => entries.filter((e) => e.name.startsWith(`don-vi/${unitId} - `));
    for (const [unitId, { files }] of recorded) {
      expect(byUnit(unitId).map((e) => sha256(e.data!))).toEqual(files.map((f) => f.sha256));
    }
    expect(byUnit('cb-e')).toEqual([]);
    expect(entry('don-vi/cb-b - Chi bộ Phòng Tổ chức/Báo cáo.docx').data!.equals(docxBytes)).toBe(true);
  });

  it('has summary.csv with the exact header and one row per expected unit', () => {
    const text = entry('summary.csv').data!.toString('utf8');
    // A UTF-8 BOM first (DESIGN §4), then the header exactly: the contract's eight columns first,
    // any column added after them (docs/exports.md).
    expect(text.startsWith('\uFEFFunit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256')).toBe(
      true,
    );
    expect(text.slice(1, text.indexOf('\n'))).toBe(SUMMARY_CSV_HEADER);
    // Each row's fields of the contract (the columns after them belong to other features).
    const records: string[][] = parseCsv(text.slice(1));
    const contract = (lines: string[]) => parseCsv(lines.join('\n')).map((r: string[]) => r.slice(0, 8));
    const lines = records.map((r) => r.slice(0, 8));
    expect(lines).toHaveLength(6);
    const hashes = (unitId: string) =>
      recorded
        .get(unitId)!
        .files.map((f) => f.sha256)
        .join(';');
    const bytes = (unitId: string) => recorded.get(unitId)!.files.reduce((s, f) => s + f.size, 0);
    expect(lines.slice(1)).toEqual(
      contract([
        `cb-a,Chi bộ Văn phòng,on_time,2026-12-15,2026-12-05T02:00:00.000Z,1,${bytes('cb-a')},${hashes('cb-a')}`,
        `cb-b,Chi bộ Phòng Tổ chức,on_time,2026-12-15,2026-12-14T16:59:01.000Z,2,${bytes('cb-b')},${hashes('cb-b')}`,
        `cb-c,"Chi bộ Kế hoạch, Tài chính – Đảng ủy Sở",late,2026-12-15,2026-12-15T17:00:00.000Z,1,${bytes('cb-c')},${hashes('cb-c')}`,
        `cb-d,Chi bộ Công đoàn,on_time,2026-12-15,2026-12-10T08:00:01.000Z,2,${bytes('cb-d')},${hashes('cb-d')}`,
        'cb-e,Chi bộ Thanh tra,missing,2026-12-15,,0,0,',
      ]),
    );
  });

  it('has tong-hop.xlsx with Vietnamese headers, statuses and rates', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(entry('tong-hop.xlsx').data! as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Tổng hợp')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const find = (label: string) => rows.find((r) => r[0] === label)!;
    expect(find('STT').slice(0, 9)).toEqual([
      'STT',
      'Mã đơn vị',
      'Tên đơn vị',
      'Tình trạng',
      'Hạn nộp',
      'Thời điểm nộp',
      'Số tệp',
      'Dung lượng (byte)',
      'SHA-256',
    ]);
    expect(rows.filter((r) => String(r[1]).startsWith('cb-')).map((r) => [r[0], r[1], r[3]])).toEqual([
      [1, 'cb-a', 'Đúng hạn'],
      [2, 'cb-b', 'Đúng hạn'],
      [3, 'cb-c', 'Trễ hạn'],
      [4, 'cb-d', 'Đúng hạn'],
      [5, 'cb-e', 'Chưa nộp'],
    ]);
    expect(find('Tỷ lệ đầy đủ (đã nộp ÷ phải báo cáo)').slice(3)).toEqual([0.8, '4/5']);
    expect(find('Tỷ lệ đúng hạn (đúng hạn ÷ phải báo cáo)').slice(3)).toEqual([0.6, '3/5']);
    expect(String(rows.flat().find((v) => String(v).startsWith('Tổng hợp lúc')))).toMatch(
      /\(giờ Việt Nam\)$/,
    );
    // Printing and filtering: frozen header, auto-filter, A4 landscape one page wide.
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 14 });
    expect(sheet.autoFilter).toBe(`A14:${columnName(SUMMARY_COLUMNS.length + 1)}19`);
    expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToWidth: 1 });
    // One sheet per task group, with each unit's note.
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Tổng hợp',
      'Nhóm 1',
      'Nhóm 2',
      'Nhóm 3',
      'Nhóm 4',
    ]);
    const notes = workbook.worksheets.slice(1).flatMap((s) => {
      const cells: unknown[] = [];
      s.eachRow((row) => cells.push(row.getCell(5).value));
      return cells;
    });
    for (const { notes: written } of recorded.values())
      for (const note of Object.values(written)) expect(notes).toContain(note);
  });

  it("has the compiled report with every task group heading, each unit's notes and the missing units", async () => {
    const text = (await mammoth.extractRawText({ buffer: entry('bao-cao-tong-hop.docx').data! })).value;
    for (const heading of [
      '1. Số hóa hồ sơ, văn bản và sổ sách của chi bộ',
      '2. Đổi mới sinh hoạt chi bộ với sự hỗ trợ của công nghệ',
      '3. Nâng cao kỹ năng số cho cán bộ, đảng viên',
      '4. Bảo đảm an toàn, an ninh thông tin trên môi trường mạng',
    ]) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Kết quả thực hiện Kế hoạch số 12-KH/ĐUS năm 2026');
    expect(text).toContain('Dự thảo — tổng hợp tự động');
    for (const { notes } of recorded.values())
      for (const note of Object.values(notes)) expect(text).toContain(note);
    expect(text).toContain('Chi bộ Văn phòng: Đã số hóa 1.250 hồ sơ đảng viên, đạt 100% kế hoạch.');
    expect(text).toContain('Các đơn vị chưa nộp báo cáo: Chi bộ Thanh tra.');
    expect(text).toContain('Các đơn vị nộp trễ hạn: Chi bộ Kế hoạch, Tài chính – Đảng ủy Sở.');
    // The frame of a Party report: header block, parts II–IV to write, "Nơi nhận", signature.
    for (const line of [
      'ĐẢNG CỘNG SẢN VIỆT NAM',
      '*',
      'BÁO CÁO',
      'I. KẾT QUẢ ĐẠT ĐƯỢC',
      'II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN',
      'III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027',
      'IV. KIẾN NGHỊ, ĐỀ XUẤT',
      'Nơi nhận:',
      '- Lưu VP.',
      'T/M ĐẢNG ỦY',
    ]) {
      expect(text).toContain(`\n\n${line}\n\n`);
    }
  });

  it('records the export and queues the export-ready e-mail with a link to the app, not to S3', async () => {
    expect(firstExport.record).toMatchObject({
      state: 'ready',
      requestedBy: 'vanphong@demo.baocao.example',
      size: firstExport.bytes,
      units: 5,
      files: 6,
      finishedAt: '2026-12-16T01:00:00.000Z',
    });
    expect(mail.messages).toHaveLength(1);
    const message = mail.messages[0]!;
    expect(message).toMatchObject({
      template: 'export-ready',
      unitId: 'committee',
      to: ['vanphong@demo.baocao.example'],
    });
    const rendered = renderMail(message, stack.config.COMMITTEE_NAME);
    expect(rendered.subject.startsWith('[12-KH/ĐUS] ')).toBe(true);
    expect(rendered.text).toContain(`${stack.appUrl}/admin/plans/${PLAN}/${YEAR}`);
    expect(`${rendered.text}${rendered.html}`).not.toMatch(/X-Amz-|\/exports\/|:\d+\/baocao-reports/);
  });

  it('builds a second record on a second export', async () => {
    clock.set('2026-12-16T02:00:00Z');
    const second = await buildExport(deps, PLAN, YEAR, { requestedBy: 'planner' });
    expect(second.exportId).not.toBe(firstExport.exportId);
    const list = await listExports(deps, PLAN, YEAR);
    expect(list.map((r) => [r.exportId, r.state])).toEqual([
      [second.exportId, 'ready'],
      [firstExport.exportId, 'ready'],
    ]);
    expect(mail.messages).toHaveLength(2);
  });

  it('refuses an unknown plan or period with a clear error and writes no record', async () => {
    await expect(buildExport(deps, 'khong-co', YEAR)).rejects.toBeInstanceOf(NotFoundError);
    await expect(buildExport(deps, PLAN, 2031)).rejects.toThrow(/No period 2031/);
    expect(await listExports(deps, 'khong-co', YEAR)).toEqual([]);
    expect(await listExports(deps, PLAN, 2031)).toEqual([]);
  });

  it('runs from the exporter function with a requested export id, and validates its event', async () => {
    const record = await requestExport(deps, PLAN, YEAR, 'vanphong@demo.baocao.example');
    expect(record.state).toBe('building');
    const outcome = await runExport({ planId: PLAN, year: YEAR, exportId: record.exportId }, deps);
    expect(outcome).toMatchObject({ exportId: record.exportId, built: true, units: 5, files: 6 });
    // A retried invocation finds it finished: no second build, no second e-mail.
    const mailsBefore = mail.messages.length;
    expect(await runExport({ planId: PLAN, year: YEAR, exportId: record.exportId }, deps)).toMatchObject({
      built: false,
    });
    expect(mail.messages.length).toBe(mailsBefore);
    await expect(runExport({ planId: PLAN, year: '2026' }, deps)).rejects.toThrow();
    await expect(runExport({ planId: '../x', year: YEAR }, deps)).rejects.toThrow();
  });

  it('fails the export, and says why, when an object no longer matches its receipt', async () => {
    const file = recorded.get('cb-c')!.files[0]!;
    const original = await download(file.key);
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.config.REPORTS_BUCKET,
        Key: file.key,
        Body: Buffer.from('%PDF-1.4 kế hoạch tài chíNh'),
      }),
    );
    try {
      const record = await requestExport(deps, PLAN, YEAR, 'planner');
      const mailsBefore = mail.messages.length;
      await expect(buildExport(deps, PLAN, YEAR, { exportId: record.exportId })).rejects.toThrow(
        /SHA-256 of don-vi\/cb-c/,
      );
      const failed = (await listExports(deps, PLAN, YEAR)).find((r) => r.exportId === record.exportId)!;
      expect(failed.state).toBe('failed');
      expect(failed.error).toContain('ChecksumMismatchError');
      expect(mail.messages.length).toBe(mailsBefore);
      await expect(
        s3.send(new HeadObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: record.key })),
      ).rejects.toThrow();
    } finally {
      await s3.send(
        new PutObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: file.key, Body: original }),
      );
    }
  });

  it('writes the same pack to a local file for the CLI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baocao-export-'));
    try {
      const path = join(dir, 'tong-hop.zip');
      const result = await writeExportToFile(deps, PLAN, YEAR, path);
      const zip = await readFile(path);
      expect((await stat(path)).size).toBe(result.bytes);
      const local = await readZip(zip);
      expect(local.map((e) => e.name)).toEqual(entries.map((e) => e.name));
      const fromS3 = new Map(entries.map((e) => [e.name, sha256(e.data!)]));
      for (const e of local.filter((x) => x.name.startsWith('don-vi/') || x.name === 'summary.csv')) {
        expect(sha256(e.data!)).toBe(fromS3.get(e.name));
      }
      await expect(writeExportToFile(deps, PLAN, 2031, join(dir, 'x.zip'))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(stat(join(dir, 'x.zip.partial'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uploads a large pack in parts, and leaves nothing behind when the stream fails', async () => {
    const writer = new S3ExportWriter(reportsLocation(stack.config), {
      partSize: 5 * 1024 * 1024,
      parallel: 2,
    });
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const chunks = Array.from({ length: Math.ceil(data.length / 65536) }, (_, i) =>
      data.subarray(i * 65536, (i + 1) * 65536),
    );
    await writer.upload('exports/test/large.zip', Readable.from(chunks), 'application/zip');
    expect(sha256(await download('exports/test/large.zip'))).toBe(sha256(data));

    const failing = new Readable({ read() {} });
    for (const c of chunks.slice(0, 120)) failing.push(c);
    setTimeout(() => failing.destroy(new Error('source failed')), 50);
    await expect(writer.upload('exports/test/broken.zip', failing, 'application/zip')).rejects.toThrow(
      'source failed',
    );
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: 'exports/test/broken.zip' })),
    ).rejects.toThrow();
  });
});
