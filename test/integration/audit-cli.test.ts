/**
 * `baocao audit verify | list` against a running local stack (the real executable): a chain with
 * its signed digests in the s3rver bucket verifies; a removed digest, then an edited record, make
 * it fail (exit 2) naming the day or the position; the listing filters by date and unit, and
 * hostile filters are refused in one Vietnamese line.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditDeps } from '#functions/wiring/create-audit-deps.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { auditChainPk, auditRecordSk, DynamoAuditStore } from '#shared/adapters/dynamodb/audit-store.ts';
import { digestKey } from '#shared/adapters/s3/digest-store.ts';
import { ChainedAuditLog, COMMITTEE_CHAIN } from '#shared/audit/append.ts';
import { writeDailyDigests } from '#shared/audit/digest.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { ManualClock } from '#test/support/memory/clock.ts';

const TZ = 'Asia/Ho_Chi_Minh';

describe('baocao audit', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  const today = localDate(new Date(), TZ);
  const day1 = addDays(today, -3);
  const day2 = addDays(today, -2);

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    const store = new DynamoAuditStore(createDynamoDocumentClient(stack.config), stack.config.AUDIT_TABLE!);
    const clock = new ManualClock(`${day1}T02:00:00.000Z`);
    const log = new ChainedAuditLog(store, clock);
    await log.append({
      kind: 'unit.changed',
      actor: { type: 'member', id: 'vanphong@so.example.vn' },
      target: { unitId: 'cb-a' },
      clientIp: '203.0.113.5',
    });
    await log.append({
      kind: 'member.changed',
      actor: { type: 'member', id: 'vanphong@so.example.vn' },
      target: { memberEmail: 'bithu@so.example.vn' },
    });
    clock.set(`${day2}T03:00:00.000Z`);
    await log.append({
      kind: 'download.file',
      actor: { type: 'member', id: 'bithu@so.example.vn' },
      target: { unitId: 'cb-b', planId: 'bc-nam', year: 2026 },
    });
    const written = await writeDailyDigests({
      ...createAuditDeps(stack.runtime),
      clock: new ManualClock(new Date()),
    });
    expect(written).toEqual([day1, day2, addDays(today, -1)]);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('lists the records newest first, filtered by unit, with the IP while it is kept', async () => {
    // Act
    const all = await runCli(['audit', 'list', '--json'], env);
    const unit = await runCli(['audit', 'list', '--unit', 'cb-a'], env);
    // Assess
    expect(all.stderr).toBe('');
    const records = (all.json() as { records: { seq: number; kind: string; ip?: string }[] }).records;
    expect(records.map((r) => [r.seq, r.kind, r.ip])).toEqual([
      [3, 'download.file', undefined],
      [2, 'member.changed', undefined],
      [1, 'unit.changed', '203.0.113.5'],
    ]);
    expect(unit.stdout).toMatch(
      /^1 bản ghi từ ngày \d\d\/\d\d\/\d{4}:\n {2}#1 {2}\d\d\/\d\d\/\d{4} \d\d:\d\d {2}Thay đổi đơn vị {2}Thành viên vanphong@so\.example\.vn {2}→ cb-a {2}Thành công {2}IP 203\.0\.113\.5\n$/,
    );
  });

  it.each([
    [
      ['audit', 'list', '--since', '31/02/2026'],
      'baocao: Ngày bắt đầu không hợp lệ: "31/02/2026" (cần ngày có thật, dạng ngày/tháng/năm, ví dụ 15/12/2026).\n',
    ],
    [
      ['audit', 'list', '--since', '02/12/2026', '--until', '01/12/2026'],
      'baocao: Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.\n',
    ],
    [['audit', 'list', '--unit', 'x'.repeat(500)], 'baocao: Bộ lọc "unit" dài quá 100 ký tự.\n'],
    [
      ['audit', 'list', '--unit', "cb'; DROP"],
      'baocao: Mã đơn vị không hợp lệ: "cb\'; DROP" (chỉ gồm chữ, số, "-", "_" và ".").\n',
    ],
    [['audit', 'list', '--kind', '=cmd|calc'], 'baocao: Loại sự kiện không có: "=cmd|calc".\n'],
    [['audit', 'list', '--limit', '0'], 'baocao: --limit phải là số từ 1 đến 50000; nhận được "0".\n'],
  ])('refuses %j in Vietnamese', async (args, stderr) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(stderr);
  });

  it('verifies the chain and its digests, then reports a removed digest and an edited record', async () => {
    // Act
    const good = await runCli(['audit', 'verify'], env);
    const s3 = createS3Client(stack.config);
    await s3.send(
      new DeleteObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: digestKey(COMMITTEE_CHAIN, day1) }),
    );
    const noDigest = await runCli(['audit', 'verify', '--json'], env);
    const doc = createDynamoDocumentClient(stack.config);
    const TableName = stack.config.AUDIT_TABLE!;
    const item = (
      await doc.send(
        new GetCommand({ TableName, Key: { pk: auditChainPk(COMMITTEE_CHAIN), sk: auditRecordSk(2) } }),
      )
    ).Item!;
    await doc.send(
      new PutCommand({ TableName, Item: { ...item, target: { memberEmail: 'khac@so.example.vn' } } }),
    );
    const edited = await runCli(['audit', 'verify'], env);
    // Assess
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toBe(
      'Chuỗi 3 bản ghi nguyên vẹn (bản ghi cuối: số 3).\nĐã kiểm tra 3 bản tóm tắt hằng ngày đã ký.\nKết quả: nhật ký hợp lệ.\n',
    );
    expect(noDigest.code).toBe(2);
    expect(noDigest.json()).toMatchObject({ ok: false, digestProblems: [{ date: day1, reason: 'missing' }] });
    expect(edited.code).toBe(2);
    expect(edited.stdout).toContain('LỖI: Bản ghi số 2 đã bị sửa: nội dung không khớp mã băm của nó.\n');
    expect(edited.stdout).toContain('Kết quả: nhật ký KHÔNG hợp lệ.');
  });
});
