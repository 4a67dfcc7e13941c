import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnUploadHandler, decodeKey, handleS3Event } from '#functions/on-upload.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { createRecordingDeps } from '#functions/wiring/create-recording-deps.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { GrantedUpload, SubmissionDraft, SubmissionVersion } from '#shared/domain/submission.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import type { MailQueue } from '#shared/ports.ts';
import { REPLAY_REASON, REVOKED_REASON, type RecordingDeps } from '#shared/recording/record-upload.ts';
import { importUnits } from '#shared/units/units.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import {
  docxBytes,
  htmlBytes,
  ODT_MIME,
  odfBytes,
  pdfBytes,
  plainZipBytes,
  xlsxBytes,
} from '#test/support/sample-files.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const PERIOD_PK = `PERIOD#${PLAN}#${YEAR}`;
/** Small, so that "one byte over the limit" is a small file. */
const MAX_UPLOAD_BYTES = 64 * 1024;
/** On time: the deadline is 2026-12-15 in Asia/Ho_Chi_Minh. */
const BEFORE_DEADLINE = '2026-12-01T02:00:00.000Z';
const TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: ODT_MIME,
} as const;

const UNITS = [
  'cb-pdf',
  'cb-dup',
  'cb-order',
  'cb-three',
  'cb-html',
  'cb-size',
  'cb-late',
  'cb-ontime',
  'cb-closed',
  'cb-x',
  'cb-y',
  'cb-zip',
  'cb-ext',
  'cb-resume',
  'cb-handler',
  'cb-replay',
  'cb-race',
  'cb-revoked',
  'cb-flaky',
  'cb-flaky-mail',
];

/**
 * Captures the e-mails the use case queues. It stands in for SQS only because the queue is not
 * under test here (the mail pipeline has its own tests); it implements our own MailQueue port.
 */
class CapturedMail implements MailQueue {
  readonly messages: MailMessage[] = [];
  async enqueue(messages: MailMessage[]): Promise<void> {
    this.messages.push(...messages);
  }
  withKey(key: string): MailMessage[] {
    return this.messages.filter((m) => m.key === key);
  }
  forUnit(unitId: string): MailMessage[] {
    return this.messages.filter((m) => m.unitId === unitId);
  }
}

describe('on-upload: recording uploaded objects against the local emulators', () => {
  let stack: TestStack;
  let db: DynamoDBDocumentClient;
  let bucketClient: S3Client;
  let bucket: string;
  let mail: CapturedMail;
  let deps: RecordingDeps;
  const clock = fixedClock('2026-11-20T03:00:00Z');
  const warnings: { message: string; attributes: Record<string, unknown> }[] = [];
  const log = {
    info: () => {},
    warn: (message: string, attributes: Record<string, unknown>) => warnings.push({ message, attributes }),
  };

  beforeAll(async () => {
    // This file drives the S3 events itself, so the stack does not forward the emulator's.
    stack = await startTestStack({
      clock,
      s3Events: false,
      env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) },
    });
    db = createDynamoDocumentClient(stack.config);
    bucketClient = createS3Client(stack.config);
    bucket = stack.config.REPORTS_BUCKET;
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    const csv = [
      'id,name,email,cc',
      ...UNITS.map(
        (id) => `${id},Chi bộ ${id},${id}@example.org,${id === 'cb-pdf' ? 'pho-bi-thu@example.org' : ''}`,
      ),
    ].join('\n');
    await importUnits(stack.deps, csv);
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    mail = new CapturedMail();
    deps = createRecordingDeps({ ...stack.runtime, mailQueue: mail }, { clock, log });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  // --- helpers: the request side's items, written directly with the documented keys ---------

  /** What the request side handed out for one file: its grant and landing key. */
  interface TestUpload extends GrantedUpload {
    unitId: string;
    version: number;
    uploadId: string;
    /** The landing key the browser posts to. */
    key: string;
  }

  /** A submission in progress (a draft on the assignment), as the public function starts it. */
  async function givenVersion(unitId: string, version: number, expectedFiles: number): Promise<void> {
    const draft: SubmissionDraft = {
      version,
      createdAt: clock.now().toISOString(),
      expectedFiles,
      issued: expectedFiles,
      notes: { '1': 'Đã triển khai' },
      linkVersion: 1,
      grants: {},
    };
    const key = { pk: PERIOD_PK, sk: `UNIT#${unitId}` };
    const table = stack.config.SUBMISSIONS_TABLE;
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET drafts = if_not_exists(drafts, :empty)',
        ExpressionAttributeValues: { ':empty': {} },
      }),
    );
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET drafts.#n = :draft, versionCounter = :n',
        ExpressionAttributeNames: { '#n': String(version) },
        ExpressionAttributeValues: { ':draft': draft, ':n': version },
      }),
    );
  }

  /** A grant in the draft and, unless `bytes` is null, its object at the landing key. */
  async function givenUpload(
    unitId: string,
    version: number,
    fileName: string,
    bytes: Uint8Array | null,
    options: { contentType?: string; declaredSize?: number } = {},
  ): Promise<TestUpload> {
    const uploadId = `${version}-${randomUUID().replaceAll('-', '')}`;
    const extension = fileName.split('.').pop() as keyof typeof TYPES;
    const grant: GrantedUpload = {
      fileName,
      contentType: options.contentType ?? TYPES[extension],
      declaredSize: options.declaredSize ?? bytes?.length ?? 0,
      createdAt: clock.now().toISOString(),
    };
    await db.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: { pk: PERIOD_PK, sk: `UNIT#${unitId}` },
        UpdateExpression: 'SET drafts.#n.grants.#id = :grant',
        ExpressionAttributeNames: { '#n': String(version), '#id': uploadId },
        ExpressionAttributeValues: { ':grant': grant },
      }),
    );
    const upload: TestUpload = {
      ...grant,
      unitId,
      version,
      uploadId,
      key: `uploads/${PLAN}/${YEAR}/${unitId}/${uploadId}`,
    };
    if (bytes) await putObject(upload.key, bytes, upload.contentType, { 'upload-id': uploadId });
    return upload;
  }

  async function putObject(
    key: string,
    bytes: Uint8Array,
    contentType = 'application/octet-stream',
    metadata: Record<string, string> = {},
  ): Promise<void> {
    await bucketClient.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        Metadata: metadata,
      }),
    );
  }

  /** The event s3rver emits for a browser's POST (and S3 sends): key URL-encoded, `+` for spaces. */
  function s3Event(key: string, size: number, eventTime = BEFORE_DEADLINE): S3Event {
    return {
      Records: [
        {
          eventVersion: '2.0',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime,
          eventName: 'ObjectCreated:Post',
          userIdentity: { principalId: 'AWS:LOCALTESTPRINCIPAL' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: { 'x-amz-request-id': 'LOCALREQUEST', 'x-amz-id-2': 'LOCALHOST' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'testConfigId',
            bucket: {
              name: bucket,
              ownerIdentity: { principalId: 'LOCALOWNER' },
              arn: `arn:aws:s3: : :${bucket}`,
            },
            object: {
              key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
              size,
              eTag: 'etag',
              sequencer: Date.now().toString(16).toUpperCase(),
            },
          },
        },
      ],
    };
  }

  const eventFor = (intent: TestUpload, eventTime?: string) =>
    s3Event(intent.key, intent.declaredSize, eventTime);

  async function outcomeOf(intent: TestUpload, eventTime?: string): Promise<string> {
    const [result] = await handleS3Event(eventFor(intent, eventTime), singleCommittee(deps));
    return result!.outcome;
  }

  async function item<T>(sk: string): Promise<T | undefined> {
    const out = await db.send(
      new GetCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: { pk: PERIOD_PK, sk },
        ConsistentRead: true,
      }),
    );
    return out.Item as T | undefined;
  }
  const versionItem = (unitId: string, version: number) =>
    item<SubmissionVersion>(`VERSION#${unitId}#${String(version).padStart(6, '0')}`);
  /** How the grant was settled in its version: recorded, rejected (with the reason) or pending. */
  async function settlement(upload: TestUpload): Promise<{ state: string; rejectionReason?: string }> {
    const v = await versionItem(upload.unitId, upload.version);
    if (v?.files[upload.uploadId]) return { state: 'recorded' };
    const rejected = v?.rejected[upload.uploadId];
    return rejected ? { state: 'rejected', rejectionReason: rejected.reason } : { state: 'pending' };
  }
  const assignment = async (unitId: string) =>
    (await stack.deps.submissions.getAssignment(PLAN, YEAR, unitId)) as Assignment & { fileCount?: number };

  async function exists(key: string): Promise<boolean> {
    try {
      await bucketClient.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const receiptKey = (unitId: string, version: number) => `${PLAN}#${YEAR}#${unitId}#receipt-${version}`;

  // --- the cases ------------------------------------------------------------------------------

  it('records a valid PDF: checksum, intent, assignment on time, one receipt', async () => {
    // Prepare
    const bytes = pdfBytes();
    await givenVersion('cb-pdf', 1, 1);
    const intent = await givenUpload('cb-pdf', 1, 'Báo cáo năm 2026.pdf', bytes);
    // Act
    const outcome = await outcomeOf(intent);
    // Assess
    expect(outcome).toBe('recorded');
    const version = await versionItem('cb-pdf', 1);
    const keptKey = `reports/${PLAN}/${YEAR}/cb-pdf/${intent.uploadId}/${sha256(bytes)}`;
    expect(version?.files[intent.uploadId]).toEqual({
      uploadId: intent.uploadId,
      fileName: 'Báo cáo năm 2026.pdf',
      key: keptKey,
      size: bytes.length,
      contentType: 'application/pdf',
      sha256: sha256(bytes),
      receivedAt: BEFORE_DEADLINE,
      // s3rver has no versioning: the ETag (MD5) of the landing object identifies it.
      source: { eTag: createHash('md5').update(bytes).digest('hex') },
    });
    expect(version).toMatchObject({ notes: { '1': 'Đã triển khai' }, expectedFiles: 1, linkVersion: 1 });
    expect(version).toMatchObject({ submittedAt: BEFORE_DEADLINE, onTime: true, rejected: {} });
    expect(await settlement(intent)).toMatchObject({ state: 'recorded' });
    expect(await assignment('cb-pdf')).toMatchObject({
      status: 'on_time',
      latestVersion: 1,
      fileCount: 1,
      submittedAt: BEFORE_DEADLINE,
      files: [
        {
          uploadId: intent.uploadId,
          fileName: 'Báo cáo năm 2026.pdf',
          size: bytes.length,
          sha256: sha256(bytes),
        },
      ],
    });
    const receipts = mail.withKey(receiptKey('cb-pdf', 1));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      template: 'receipt',
      unitId: 'cb-pdf',
      to: ['cb-pdf@example.org'],
      cc: ['pho-bi-thu@example.org'],
      data: {
        planNumber: '12-KH/ĐUS',
        unitName: 'Chi bộ cb-pdf',
        version: 1,
        files: [{ fileName: 'Báo cáo năm 2026.pdf', size: bytes.length, sha256: sha256(bytes) }],
        rejected: [],
        receivedAt: BEFORE_DEADLINE,
        onTime: true,
        deadline: '2026-12-15',
        timeZone: 'Asia/Ho_Chi_Minh',
      },
    });
    expect(receipts[0]!.data).not.toHaveProperty('statusUrl');
    // The receipted bytes are kept under reports/; the landing object is gone; the draft too.
    const kept = await bucketClient.send(new GetObjectCommand({ Bucket: bucket, Key: keptKey }));
    expect(sha256(Buffer.from(await kept.Body!.transformToByteArray()))).toBe(sha256(bytes));
    expect(await exists(intent.key)).toBe(false);
    expect((await assignment('cb-pdf')).drafts).toEqual({});
  });

  it('records an event delivered twice, and twice at once, only once', async () => {
    // Prepare
    await givenVersion('cb-dup', 1, 1);
    await givenVersion('cb-dup', 2, 1);
    const first = await givenUpload('cb-dup', 1, 'lan-1.pdf', pdfBytes('1'));
    const second = await givenUpload('cb-dup', 2, 'lan-2.pdf', pdfBytes('2'));
    // Act
    const sequential = [await outcomeOf(first), await outcomeOf(first)];
    const concurrent = await Promise.all([outcomeOf(second), outcomeOf(second), outcomeOf(second)]);
    // Assess
    expect(sequential).toEqual(['recorded', 'duplicate']);
    expect(concurrent.sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(Object.keys((await versionItem('cb-dup', 1))!.files)).toEqual([first.uploadId]);
    expect(Object.keys((await versionItem('cb-dup', 2))!.files)).toEqual([second.uploadId]);
    // A repeated event queues the receipt again under its key: the mailer sends each key once,
    // and a receipt whose first enqueue failed is not lost.
    expect(mail.withKey(receiptKey('cb-dup', 1)).length).toBeGreaterThanOrEqual(1);
    expect(mail.withKey(receiptKey('cb-dup', 2)).length).toBeGreaterThanOrEqual(1);
    expect(new Set(mail.forUnit('cb-dup').map((m) => m.key))).toEqual(
      new Set([receiptKey('cb-dup', 1), receiptKey('cb-dup', 2)]),
    );
    expect(await assignment('cb-dup')).toMatchObject({ latestVersion: 2, fileCount: 1 });
  });

  it('keeps the later version on the assignment when its event comes first', async () => {
    // Prepare
    await givenVersion('cb-order', 1, 1);
    await givenVersion('cb-order', 2, 1);
    const v1 = await givenUpload('cb-order', 1, 'ban-dau.pdf', pdfBytes('v1'));
    const v2 = await givenUpload('cb-order', 2, 'ban-sua.pdf', pdfBytes('v2'));
    // Act
    const outcomes = [
      await outcomeOf(v2, '2026-12-02T02:00:00.000Z'),
      await outcomeOf(v1, '2026-12-01T02:00:00.000Z'),
    ];
    // Assess
    expect(outcomes).toEqual(['recorded', 'recorded']);
    const a = await assignment('cb-order');
    expect(a).toMatchObject({ latestVersion: 2, submittedAt: '2026-12-02T02:00:00.000Z', status: 'on_time' });
    expect(a.files.map((f) => f.fileName)).toEqual(['ban-sua.pdf']);
    // Both versions are kept, each with its own file and receipt.
    expect(Object.values((await versionItem('cb-order', 1))!.files).map((f) => f.fileName)).toEqual([
      'ban-dau.pdf',
    ]);
    expect(mail.withKey(receiptKey('cb-order', 1))).toHaveLength(1);
    expect(mail.withKey(receiptKey('cb-order', 2))).toHaveLength(1);
  });

  it('records three files of one version processed at once: three files shown, one receipt', async () => {
    // Prepare
    await givenVersion('cb-three', 1, 3);
    const intents = await Promise.all(
      ['c-phu-luc.pdf', 'a-bao-cao.pdf', 'b-bang-so-lieu.pdf'].map((name) =>
        givenUpload('cb-three', 1, name, pdfBytes(name)),
      ),
    );
    const times = ['2026-12-03T01:00:00.000Z', '2026-12-03T01:00:02.000Z', '2026-12-03T01:00:01.000Z'];
    // Act
    const outcomes = await Promise.all(intents.map((intent, i) => outcomeOf(intent, times[i])));
    // Assess
    expect(outcomes).toEqual(['recorded', 'recorded', 'recorded']);
    const a = await assignment('cb-three');
    expect(a.files.map((f) => f.fileName)).toEqual(['a-bao-cao.pdf', 'b-bang-so-lieu.pdf', 'c-phu-luc.pdf']);
    expect(a).toMatchObject({ fileCount: 3, latestVersion: 1, submittedAt: '2026-12-03T01:00:02.000Z' });
    expect((await versionItem('cb-three', 1))?.submittedAt).toBe('2026-12-03T01:00:02.000Z');
    const receipts = mail.withKey(receiptKey('cb-three', 1));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.template === 'receipt' && receipts[0]!.data.files.map((f) => f.fileName)).toEqual([
      'a-bao-cao.pdf',
      'b-bang-so-lieu.pdf',
      'c-phu-luc.pdf',
    ]);
  });

  it('quarantines an HTML page declared as a PDF and tells the unit why', async () => {
    // Prepare
    await givenVersion('cb-html', 1, 1);
    const intent = await givenUpload('cb-html', 1, 'bao-cao.pdf', htmlBytes());
    const { drafts: _inProgress, ...before } = await assignment('cb-html');
    const reason = 'Tệp "bao-cao.pdf" không phải là tệp PDF thật (nội dung là HTML).';
    // Act
    const outcome = await outcomeOf(intent);
    // Assess
    expect(outcome).toBe('rejected');
    expect(await exists(intent.key)).toBe(false);
    const quarantined = await bucketClient.send(
      new GetObjectCommand({ Bucket: bucket, Key: `quarantine/${intent.key}` }),
    );
    expect(Buffer.from(await quarantined.Body!.transformToByteArray())).toEqual(htmlBytes());
    expect(quarantined.Metadata).toMatchObject({ 'upload-id': intent.uploadId });
    expect(decodeURIComponent(quarantined.Metadata!['quarantine-reason']!)).toBe(reason);
    const version = await versionItem('cb-html', 1);
    expect(version?.files).toEqual({});
    expect(version?.rejected[intent.uploadId]).toMatchObject({ fileName: 'bao-cao.pdf', reason });
    expect(await settlement(intent)).toMatchObject({ state: 'rejected', rejectionReason: reason });
    const mails = mail.forUnit('cb-html');
    expect(mails).toEqual([
      expect.objectContaining({
        template: 'rejected',
        key: `${PLAN}#${YEAR}#cb-html#rejected-${intent.uploadId}`,
        to: ['cb-html@example.org'],
        data: expect.objectContaining({ fileName: 'bao-cao.pdf', reason, planNumber: '12-KH/ĐUS' }),
      }),
    ]);
    // Nothing changed on the assignment but the settled draft, which is gone.
    expect(await assignment('cb-html')).toEqual({ ...before, drafts: {} });
    // A repeated event changes nothing; its mail is queued again under the same key only.
    expect(await outcomeOf(intent)).toBe('duplicate');
    expect(new Set(mail.forUnit('cb-html').map((m) => m.key))).toEqual(
      new Set([`${PLAN}#${YEAR}#cb-html#rejected-${intent.uploadId}`]),
    );
    expect(await assignment('cb-html')).toEqual({ ...before, drafts: {} });
  });

  it('refuses a file one byte over the limit and a file of another size than declared', async () => {
    // Prepare
    await givenVersion('cb-size', 1, 2);
    const tooLarge = Buffer.concat([
      pdfBytes(),
      Buffer.alloc(MAX_UPLOAD_BYTES + 1 - pdfBytes().length, 0x20),
    ]);
    const big = await givenUpload('cb-size', 1, 'qua-lon.pdf', tooLarge);
    const short = await givenUpload('cb-size', 1, 'thieu.pdf', pdfBytes(), {
      declaredSize: pdfBytes().length + 500,
    });
    // Act
    const outcomes = [await outcomeOf(big), await outcomeOf(short)];
    // Assess
    expect(outcomes).toEqual(['rejected', 'rejected']);
    const rejected = (await versionItem('cb-size', 1))!.rejected;
    expect(rejected[big.uploadId]?.reason).toBe('Tệp "qua-lon.pdf" vượt quá giới hạn 64 KB.');
    expect(rejected[short.uploadId]?.reason).toMatch(
      /^Tệp "thieu.pdf" nhận được .* khác với kích thước đã khai báo/,
    );
    expect(await exists(`quarantine/${big.key}`)).toBe(true);
    expect(await exists(`quarantine/${short.key}`)).toBe(true);
    expect(mail.forUnit('cb-size').map((m) => m.template)).toEqual(['rejected', 'rejected']);
    expect(await assignment('cb-size')).toMatchObject({ status: 'missing', latestVersion: 0, files: [] });
  });

  it('quarantines an object nobody authorised and ignores objects outside uploads/', async () => {
    // Prepare
    const stray = `uploads/${PLAN}/${YEAR}/cb-pdf/1-${randomUUID().replaceAll('-', '')}`;
    const malformed = `uploads/${PLAN}/khong-phai-nam/cb-pdf/x`;
    await putObject(stray, pdfBytes());
    await putObject(malformed, pdfBytes());
    await putObject('exports/tong-hop.zip', Buffer.from('zip'));
    const mailsBefore = mail.messages.length;
    // Act
    const results = await Promise.all(
      [stray, malformed, 'exports/tong-hop.zip', `quarantine/${stray}`].map(async (key) => {
        const [r] = await handleS3Event(s3Event(key, 3), singleCommittee(deps));
        return r!.outcome;
      }),
    );
    // Assess
    expect(results).toEqual(['unknown', 'unknown', 'ignored', 'ignored']);
    expect(await exists(stray)).toBe(false);
    expect(await exists(`quarantine/${stray}`)).toBe(true);
    expect(await exists(`quarantine/${malformed}`)).toBe(true);
    expect(await exists('exports/tong-hop.zip')).toBe(true);
    expect(await exists('quarantine/exports/tong-hop.zip')).toBe(false);
    expect(mail.messages.length).toBe(mailsBefore);
    expect(await versionItem('cb-pdf', 1)).toMatchObject({
      files: expect.not.objectContaining({ [stray.split('/').pop()!]: expect.anything() }),
    });
    // Someone is told: the operators, through a warning naming the key and nothing personal.
    // The four events run concurrently: the warnings come in any order.
    expect(warnings.map((w) => w.attributes.key).sort()).toEqual([stray, malformed].sort());
    expect(JSON.stringify(warnings)).not.toMatch(/@|\.pdf/);
  });

  it('decides on time or late by the local date in Asia/Ho_Chi_Minh', async () => {
    // Prepare
    await givenVersion('cb-late', 1, 1);
    await givenVersion('cb-ontime', 1, 1);
    await givenVersion('cb-closed', 1, 1);
    const late = await givenUpload('cb-late', 1, 'tre.pdf', pdfBytes());
    const onTime = await givenUpload('cb-ontime', 1, 'kip.pdf', pdfBytes());
    const afterClose = await givenUpload('cb-closed', 1, 'sau-khi-dong.pdf', pdfBytes());
    // Act: 17:00:00Z is 00:00 on the 16th in Hanoi; 16:59:59Z is still the 15th.
    const outcomes = [
      await outcomeOf(late, '2026-12-15T17:00:00.000Z'),
      await outcomeOf(onTime, '2026-12-15T16:59:59.000Z'),
      // The period closes on 2027-01-14; an upload authorised before still counts, as late.
      await outcomeOf(afterClose, '2027-01-20T03:00:00.000Z'),
    ];
    // Assess
    expect(outcomes).toEqual(['recorded', 'recorded', 'recorded']);
    expect(await assignment('cb-late')).toMatchObject({
      status: 'late',
      submittedAt: '2026-12-15T17:00:00.000Z',
    });
    expect(await assignment('cb-ontime')).toMatchObject({ status: 'on_time' });
    expect(await assignment('cb-closed')).toMatchObject({ status: 'late' });
    expect((await versionItem('cb-late', 1))?.onTime).toBe(false);
    expect(mail.withKey(receiptKey('cb-late', 1))[0]).toMatchObject({ data: { onTime: false } });
    expect(mail.withKey(receiptKey('cb-ontime', 1))[0]).toMatchObject({ data: { onTime: true } });
  });

  it("counts a unit's extended deadline instead of the period's", async () => {
    // Prepare
    await db.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: { pk: PERIOD_PK, sk: 'UNIT#cb-ext' },
        UpdateExpression: 'SET extendedDeadline = :d',
        ExpressionAttributeValues: { ':d': '2026-12-20' },
      }),
    );
    await givenVersion('cb-ext', 1, 1);
    const intent = await givenUpload('cb-ext', 1, 'gia-han.pdf', pdfBytes());
    // Act
    const outcome = await outcomeOf(intent, '2026-12-18T03:00:00.000Z');
    // Assess
    expect(outcome).toBe('recorded');
    expect(await assignment('cb-ext')).toMatchObject({ status: 'on_time' });
    expect(mail.withKey(receiptKey('cb-ext', 1))[0]).toMatchObject({
      data: { onTime: true, deadline: '2026-12-20' },
    });
  });

  it('records two units uploading at the same moment independently', async () => {
    // Prepare
    await givenVersion('cb-x', 1, 1);
    await givenVersion('cb-y', 1, 1);
    const x = await givenUpload('cb-x', 1, 'bao-cao.pdf', pdfBytes('x'));
    const y = await givenUpload('cb-y', 1, 'bao-cao.pdf', pdfBytes('y'));
    const at = '2026-12-10T08:00:00.000Z';
    // Act
    const outcomes = await Promise.all([outcomeOf(x, at), outcomeOf(y, at)]);
    // Assess
    expect(outcomes).toEqual(['recorded', 'recorded']);
    expect((await assignment('cb-x')).files[0]?.sha256).toBe(sha256(pdfBytes('x')));
    expect((await assignment('cb-y')).files[0]?.sha256).toBe(sha256(pdfBytes('y')));
    expect(mail.withKey(receiptKey('cb-x', 1))).toHaveLength(1);
    expect(mail.withKey(receiptKey('cb-y', 1))).toHaveLength(1);
  });

  it('tells Office and OpenDocument files apart, and lists refused files in the receipt', async () => {
    // Prepare
    await givenVersion('cb-zip', 1, 5);
    const uploads = [
      await givenUpload('cb-zip', 1, 'bao-cao.docx', await docxBytes()),
      await givenUpload('cb-zip', 1, 'so-lieu.xlsx', await xlsxBytes()),
      await givenUpload('cb-zip', 1, 'ghi-chu.odt', await odfBytes(ODT_MIME)),
      await givenUpload('cb-zip', 1, 'bang-tong-hop.xlsx', await docxBytes('không phải bảng tính')),
      await givenUpload('cb-zip', 1, 'phu-luc.docx', await plainZipBytes()),
    ];
    // Act
    const outcomes: string[] = [];
    for (const upload of uploads) outcomes.push(await outcomeOf(upload));
    // Assess
    expect(outcomes).toEqual(['recorded', 'recorded', 'recorded', 'rejected', 'rejected']);
    const version = (await versionItem('cb-zip', 1))!;
    expect(version.rejected[uploads[3]!.uploadId]?.reason).toBe(
      'Tệp "bang-tong-hop.xlsx" không phải là tệp Excel (.xlsx) thật (nội dung là tệp Word (.docx)).',
    );
    expect(version.rejected[uploads[4]!.uploadId]?.reason).toBe(
      'Tệp "phu-luc.docx" không phải là tệp Word (.docx) thật (nội dung là tệp nén ZIP).',
    );
    expect((await assignment('cb-zip')).files.map((f) => f.fileName)).toEqual([
      'bao-cao.docx',
      'ghi-chu.odt',
      'so-lieu.xlsx',
    ]);
    // The last file settled the version: its receipt lists both the accepted and the refused.
    const receipts = mail.withKey(receiptKey('cb-zip', 1));
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({
      data: {
        files: [{ fileName: 'bao-cao.docx' }, { fileName: 'ghi-chu.odt' }, { fileName: 'so-lieu.xlsx' }],
        rejected: [{ fileName: 'bang-tong-hop.xlsx' }, { fileName: 'phu-luc.docx' }],
      },
    });
    expect(mail.forUnit('cb-zip').filter((m) => m.template === 'rejected')).toHaveLength(2);
  });

  it('finishes the work of an attempt that stopped half-way', async () => {
    // Prepare: one attempt quarantined a bad file and stopped; another recorded a good file and
    // stopped before promoting it.
    await givenVersion('cb-resume', 1, 1);
    await givenVersion('cb-resume', 2, 1);
    const bad = await givenUpload('cb-resume', 1, 'hong.pdf', htmlBytes());
    await deps.objects.quarantine(bad.key, 'Tệp "hong.pdf" không phải là tệp PDF thật (nội dung là HTML).');
    const good = await givenUpload('cb-resume', 2, 'tot.pdf', pdfBytes());
    const draft = (await assignment('cb-resume')).drafts!['2']!;
    await deps.store.ensureVersion({
      ...good,
      planId: PLAN,
      year: YEAR,
      createdAt: draft.createdAt,
      expectedFiles: 1,
      notes: {},
      files: {},
      rejected: {},
      submittedAt: null,
      onTime: null,
      linkVersion: 1,
      grants: draft.grants,
    });
    const write = await deps.store.recordFile(
      { ...good, planId: PLAN, year: YEAR },
      {
        uploadId: good.uploadId,
        fileName: good.fileName,
        contentType: good.contentType,
        key: `reports/${PLAN}/${YEAR}/cb-resume/${good.uploadId}/${sha256(pdfBytes())}`,
        size: pdfBytes().length,
        sha256: sha256(pdfBytes()),
        receivedAt: BEFORE_DEADLINE,
        source: { eTag: createHash('md5').update(pdfBytes()).digest('hex') },
      },
      true,
    );
    expect(write.recorded).toBe(true);
    // Act: Lambda retries both events.
    const outcomes = [await outcomeOf(bad), await outcomeOf(good)];
    // Assess
    expect(outcomes).toEqual(['rejected', 'duplicate']);
    expect((await versionItem('cb-resume', 1))?.rejected[bad.uploadId]?.reason).toContain('nội dung là HTML');
    expect(mail.withKey(`${PLAN}#${YEAR}#cb-resume#rejected-${bad.uploadId}`)).toHaveLength(1);
    // The retried receipt of the good file is queued under its key (the mailer sends it once).
    expect(mail.withKey(receiptKey('cb-resume', 2))).toHaveLength(1);
    expect(await settlement(bad)).toMatchObject({ state: 'rejected' });
    expect(await settlement(good)).toMatchObject({ state: 'recorded' });
    expect(await assignment('cb-resume')).toMatchObject({
      latestVersion: 2,
      status: 'on_time',
      fileCount: 1,
      drafts: {},
    });
    expect(await exists(good.key)).toBe(false);
  });

  it('quarantines a replayed grant with other bytes and keeps what was receipted', async () => {
    // Prepare: a PDF recorded with its receipt; then the same grant's form posted again with an
    // executable (s3rver accepts a second POST to the key; on AWS the grant lives 5 minutes).
    await givenVersion('cb-replay', 1, 1);
    const upload = await givenUpload('cb-replay', 1, 'bao-cao.pdf', pdfBytes('goc'));
    expect(await outcomeOf(upload)).toBe('recorded');
    const recorded = (await versionItem('cb-replay', 1))!.files[upload.uploadId]!;
    const executable = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(200, 0x41)]);
    await putObject(upload.key, executable, 'application/pdf', { 'upload-id': upload.uploadId });
    const mailsBefore = mail.forUnit('cb-replay').length;
    // Act
    const outcome = await outcomeOf(upload);
    // Assess: the record, the kept bytes and the assignment are unchanged.
    expect(outcome).toBe('replay');
    expect((await versionItem('cb-replay', 1))!.files[upload.uploadId]).toEqual(recorded);
    const kept = await bucketClient.send(new GetObjectCommand({ Bucket: bucket, Key: recorded.key }));
    expect(sha256(Buffer.from(await kept.Body!.transformToByteArray()))).toBe(sha256(pdfBytes('goc')));
    expect((await assignment('cb-replay')).files[0]).toMatchObject({
      key: recorded.key,
      sha256: recorded.sha256,
    });
    // The newcomer is quarantined with its reason, gone from the landing key, and alarmed.
    const quarantined = await bucketClient.send(
      new GetObjectCommand({ Bucket: bucket, Key: `quarantine/${upload.key}` }),
    );
    expect(Buffer.from(await quarantined.Body!.transformToByteArray())).toEqual(executable);
    expect(decodeURIComponent(quarantined.Metadata!['quarantine-reason']!)).toBe(REPLAY_REASON);
    expect(await exists(upload.key)).toBe(false);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        attributes: expect.objectContaining({
          audit: true,
          event: 'upload.replay-quarantined',
          key: upload.key,
        }),
      }),
    );
    // The unit is not mailed about a replay.
    expect(mail.forUnit('cb-replay').length).toBe(mailsBefore);
  });

  it('records one object when two deliveries of one grant run at once', async () => {
    // Prepare: one object, its event delivered twice at the same moment.
    await givenVersion('cb-race', 1, 1);
    const upload = await givenUpload('cb-race', 1, 'bao-cao.pdf', pdfBytes('mot'));
    // Act
    const outcomes = await Promise.all([outcomeOf(upload), outcomeOf(upload)]);
    // Assess
    expect(outcomes.sort()).toEqual(['duplicate', 'recorded']);
    const files = Object.values((await versionItem('cb-race', 1))!.files);
    expect(files).toHaveLength(1);
    const kept = await bucketClient.send(new GetObjectCommand({ Bucket: bucket, Key: files[0]!.key }));
    expect(sha256(Buffer.from(await kept.Body!.transformToByteArray()))).toBe(files[0]!.sha256);
  });

  it('refuses on arrival an object uploaded with a link revoked after its grant', async () => {
    // Prepare: the grant was handed out with link version 1; the committee then revoked the link.
    await givenVersion('cb-revoked', 1, 1);
    const upload = await givenUpload('cb-revoked', 1, 'bao-cao.pdf', pdfBytes());
    await stack.deps.submissions.getAssignment(PLAN, YEAR, 'cb-revoked');
    await db.send(
      new UpdateCommand({
        TableName: stack.config.SUBMISSIONS_TABLE,
        Key: { pk: PERIOD_PK, sk: 'UNIT#cb-revoked' },
        UpdateExpression: 'ADD linkVersion :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    // Act
    const outcome = await outcomeOf(upload);
    // Assess
    expect(outcome).toBe('rejected');
    expect(await settlement(upload)).toEqual({ state: 'rejected', rejectionReason: REVOKED_REASON });
    expect(await exists(upload.key)).toBe(false);
    expect(await exists(`quarantine/${upload.key}`)).toBe(true);
    expect(await assignment('cb-revoked')).toMatchObject({ status: 'missing', latestVersion: 0, files: [] });
    expect(mail.forUnit('cb-revoked').map((m) => m.template)).toEqual(['rejected']);
  });

  it('queues the receipt again when its first enqueue failed', async () => {
    // Prepare: the queue refuses the first message (a throttled SQS SendMessage, say).
    await givenVersion('cb-flaky', 1, 1);
    const upload = await givenUpload('cb-flaky', 1, 'bao-cao.pdf', pdfBytes());
    const queued: MailMessage[] = [];
    let failures = 1;
    const flaky: MailQueue = {
      async enqueue(messages) {
        if (failures-- > 0) throw new Error('ThrottlingException: Rate exceeded');
        queued.push(...messages);
      },
    };
    const flakyDeps = { ...deps, mail: flaky };
    // Act: the first attempt fails after recording the file; Lambda retries the event.
    await expect(handleS3Event(eventFor(upload), singleCommittee(flakyDeps))).rejects.toThrow(
      /Rate exceeded/,
    );
    const [retry] = await handleS3Event(eventFor(upload), singleCommittee(flakyDeps));
    // Assess
    expect(retry).toMatchObject({ outcome: 'duplicate', receiptQueued: true });
    expect(queued.map((m) => m.key)).toEqual([receiptKey('cb-flaky', 1)]);
    expect(await assignment('cb-flaky')).toMatchObject({ latestVersion: 1, status: 'on_time', drafts: {} });
  });

  it('sends exactly one receipt e-mail through the real mailer when the first enqueue failed', async () => {
    // Prepare: the stack's own queue (feeding the mailer and the SES emulator) behind a wrapper
    // that refuses the first message; events are delivered three times in all.
    await clearEmails(stack.mailUrl);
    await givenVersion('cb-flaky-mail', 1, 1);
    const upload = await givenUpload('cb-flaky-mail', 1, 'bao-cao.pdf', pdfBytes('mail'));
    let failures = 1;
    const flaky: MailQueue = {
      async enqueue(messages) {
        if (failures-- > 0) throw new Error('ThrottlingException: Rate exceeded');
        await stack.mailQueue.enqueue(messages);
      },
    };
    const real = createRecordingDeps({ ...stack.runtime, mailQueue: flaky }, { clock, log });
    // Act
    await expect(handleS3Event(eventFor(upload), singleCommittee(real))).rejects.toThrow(/Rate exceeded/);
    await handleS3Event(eventFor(upload), singleCommittee(real));
    await handleS3Event(eventFor(upload), singleCommittee(real));
    await stack.mailQueue.drain();
    // Assess
    const sent = (await storedEmails(stack.mailUrl)).filter((m) =>
      m.destination.to.includes('cb-flaky-mail@example.org'),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toMatch(/biên nhận/i);
  });

  it('runs as the Powertools-wrapped Lambda handler over a runtime with its own mail queue', async () => {
    // Prepare: the handler Lambda runs, built over this stack's runtime with another queue.
    const queue = new CapturedMail();
    const handler = createOnUploadHandler(() =>
      singleCommittee(createRecordingDeps({ ...stack.runtime, mailQueue: queue })),
    );
    await givenVersion('cb-handler', 1, 1);
    const intent = await givenUpload('cb-handler', 1, 'qua-handler.pdf', pdfBytes());
    // Act
    await handler(eventFor(intent), {} as Context);
    // Assess
    expect(await assignment('cb-handler')).toMatchObject({ latestVersion: 1, status: 'on_time' });
    expect(queue.messages.map((m) => m.key)).toEqual([receiptKey('cb-handler', 1)]);
  });

  it('decodes S3 event keys (URL-encoded, + for spaces)', () => {
    expect(decodeKey('uploads/a+b/c%2Bd/%C4%91%C6%A1n+v%E1%BB%8B')).toBe('uploads/a b/c+d/đơn vị');
    expect(decodeKey('uploads/%E0%A4%A')).toBeUndefined();
  });
});
