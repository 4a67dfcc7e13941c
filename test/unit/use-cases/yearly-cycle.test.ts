/**
 * The whole yearly cycle of the demo plan, as use cases over in-memory ports
 * (test/support/memory/): the committee imports the plan and its units, the daily planner opens
 * the period, units upload through the links they were e-mailed (real signed tokens, presigned
 * POSTs checked against their policy, the real recording use case), reminders and digests go out
 * through the real mailer use case, one unit gets an extension, one uploads late, the export is
 * built the day after the deadline and the period closes after its close date.
 *
 * The same cycle runs against the emulators (dynalite, s3rver, the SES emulator) in
 * test/integration/planner-yearly-cycle.test.ts; the fakes are held to the real adapters by
 * test/support/memory/store-contracts.ts, run on both sides.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { periodStatus } from '#shared/periods/periods.ts';
import { grantExtension } from '#shared/periods/reporting-calendar.ts';
import { type PlannerSummary, runPlanner } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { type RecordOutcome, recordUpload, type UploadEvent } from '#shared/recording/record-upload.ts';
import { importUnits } from '#shared/units/units.ts';
import { ExpiredLinkError } from '#shared/uploads/link-errors.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';
import { readZip } from '#test/support/zip.ts';

const DEMO_PLAN = readFileSync(new URL('../../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url));
const DEMO_UNITS = readFileSync(new URL('../../../local/demo/units.csv', import.meta.url), 'utf8');
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const HCM = 'Asia/Ho_Chi_Minh';
const COMMITTEE = 'vanphong@demo.baocao.example';

// The ten demo units. The demo plan's default calendar for 2026: opens Sun 15/11, deadline Tue
// 15/12, closes Thu 14/01/2027; reminders −14, −7, −3, −1, +1, +7 days; digests on Mondays and on
// Wed 16/12 (the day after the deadline, with the export).
const BAO_CHI = 'cb-bao-chi-xuat-ban'; // never reports
const BUU_CHINH = 'cb-buu-chinh'; // 05/12 an HTML page named .pdf (refused), 14/12 16:00 a real PDF
const CNTT = 'cb-cong-nghe-thong-tin'; // 25/11 two files in one submission (has a cc)
const KHTC = 'cb-ke-hoach-tai-chinh'; // 08/12 07:59, the "còn 7 ngày" day: no reminder at 08:00
const PHAT_THANH = 'cb-phat-thanh'; // extension to 22/12 granted on 10/12, reports 21/12
const THANH_TRA = 'cb-thanh-tra'; // 20/11
const TT_CNTT = 'cb-trung-tam-cntt'; // 18/12: late
const GIAM_SAT = 'cb-trung-tam-giam-sat'; // never; tries on 16/01/2027, the link has expired
const VAN_PHONG = 'cb-van-phong'; // 20/11, then a replacement on 02/12
const CONG_DOAN = 'cong-doan'; // 23:30 local on 15/12 (16:30 UTC): still on time (has a cc)
const ALL = [BAO_CHI, BUU_CHINH, CNTT, KHTC, PHAT_THANH, THANH_TRA, TT_CNTT, GIAM_SAT, VAN_PHONG, CONG_DOAN];
const EXT = '@2026-12-22';

const each = (units: string[], what: string) =>
  units.map((u) => `${what.split(' ')[0]} ${u} ${what.split(' ')[1]}`);
const digest = (date: string) => `digest committee digest-${date}`;
const PENDING_ON_12_12 = [BAO_CHI, BUU_CHINH, TT_CNTT, GIAM_SAT, CONG_DOAN];

/** E-mails sent per committee-local day, as `<template> <unit> <step>`; a day not listed sends none. */
const EXPECTED: Record<string, string[]> = {
  '2026-11-15': each(ALL, 'link opened'),
  '2026-11-16': [digest('2026-11-16')],
  '2026-11-20': [`receipt ${VAN_PHONG} receipt-1`, `receipt ${THANH_TRA} receipt-1`],
  '2026-11-23': [digest('2026-11-23')],
  '2026-11-25': [`receipt ${CNTT} receipt-1`],
  '2026-11-30': [digest('2026-11-30')],
  '2026-12-01': each(
    [BAO_CHI, BUU_CHINH, KHTC, PHAT_THANH, TT_CNTT, GIAM_SAT, CONG_DOAN],
    'reminder reminder-14',
  ),
  '2026-12-02': [`receipt ${VAN_PHONG} receipt-2`],
  '2026-12-05': [`rejected ${BUU_CHINH} rejected-1`],
  '2026-12-07': [digest('2026-12-07')],
  '2026-12-08': [
    `receipt ${KHTC} receipt-1`,
    ...each([BAO_CHI, BUU_CHINH, PHAT_THANH, TT_CNTT, GIAM_SAT, CONG_DOAN], 'reminder reminder-7'),
  ],
  '2026-12-12': each(PENDING_ON_12_12, 'reminder reminder-3'),
  '2026-12-14': [
    ...each(PENDING_ON_12_12, 'reminder reminder-1'),
    digest('2026-12-14'),
    `receipt ${BUU_CHINH} receipt-2`,
  ],
  '2026-12-15': [`reminder ${PHAT_THANH} reminder-7${EXT}`, `receipt ${CONG_DOAN} receipt-1`],
  '2026-12-16': [
    ...each([BAO_CHI, TT_CNTT, GIAM_SAT], 'reminder reminder+1'),
    digest('2026-12-16'),
    'export-ready committee export',
  ],
  '2026-12-18': [`receipt ${TT_CNTT} receipt-1`],
  '2026-12-19': [`reminder ${PHAT_THANH} reminder-3${EXT}`],
  '2026-12-21': [
    `reminder ${PHAT_THANH} reminder-1${EXT}`,
    digest('2026-12-21'),
    `receipt ${PHAT_THANH} receipt-1`,
  ],
  '2026-12-22': each([BAO_CHI, GIAM_SAT], 'reminder reminder+7'),
  '2026-12-28': [digest('2026-12-28')],
  '2027-01-04': [digest('2027-01-04')],
  '2027-01-11': [digest('2027-01-11')],
};

interface File {
  name: string;
  type: string;
  bytes: Buffer;
}
const pdf = (text: string): File => ({
  name: 'bao-cao.pdf',
  type: 'application/pdf',
  bytes: Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  ),
});
const PNG: File = {
  name: 'anh-minh-chung.png',
  type: 'image/png',
  bytes: Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
  ]),
};
const HTML_AS_PDF: File = {
  name: 'bao-cao.pdf',
  type: 'application/pdf',
  bytes: Buffer.from('<!DOCTYPE html><html lang="vi"><body>Đăng nhập</body></html>\n'),
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** `<template> <unit> <step>` of a message; upload and export ids left out. */
function shortKey(m: MailMessage): string {
  const [, , unitId, step] = m.key.split('#');
  return `${m.template} ${unitId} ${step!.replace(/^(rejected-\d+)-.*$/, '$1').replace(/^export-.*$/, 'export')}`;
}

describe('the yearly cycle of the demo plan, as use cases over in-memory ports', () => {
  const rt: MemoryRuntime = createMemoryRuntime({
    now: '2026-11-01T01:00:00Z',
    timeZone: HCM,
    committeeEmails: [COMMITTEE],
    appUrl: 'https://baocao.example.org',
  });
  const ticks: { date: string; summary: PlannerSummary }[] = [];
  const uploads: { unitId: string; at: string; outcome: RecordOutcome; event: UploadEvent }[] = [];
  const refusals: { unitId: string; error: unknown }[] = [];
  let secondTick: PlannerSummary;
  let cpuMs = 0;

  /** The unit's link, as it arrived in its "period opened" e-mail. */
  function mailedToken(unitId: string): string {
    const opened = rt.mailQueue.enqueued.find((m) => m.template === 'link' && m.unitId === unitId);
    if (opened?.template !== 'link') throw new Error(`no link e-mail for ${unitId}`);
    return opened.data.uploadUrl.split('/u/')[1]!;
  }

  /** A unit's browser: a grant per file through its link, each file posted 5 s later, then S3's events. */
  async function submit(unitId: string, files: File[], notes: Record<string, string> = {}): Promise<void> {
    const token = mailedToken(unitId);
    let submission: number | undefined;
    const events: UploadEvent[] = [];
    for (const file of files) {
      const declared = { fileName: file.name, contentType: file.type, size: file.bytes.length };
      const grant = await requestUpload(
        rt.uploadDeps,
        token,
        submission === undefined
          ? { ...declared, fileCount: files.length, notes }
          : { ...declared, submission },
      );
      submission = grant.submission;
      rt.clock.advance(5_000);
      events.push(rt.bucket.post(grant, file.bytes));
    }
    for (const event of events) {
      const { outcome } = await recordUpload(rt.recordingDeps, event);
      uploads.push({ unitId, at: event.eventTime, outcome, event });
    }
  }

  /** What happens between the 08:00 ticks, in order. */
  const events: { at: string; act: () => Promise<void> }[] = [
    {
      at: '2026-11-20T10:00:00+07:00',
      act: () => submit(VAN_PHONG, [pdf('VP 1')], { '1': 'Đã số hóa sổ sách.' }),
    },
    { at: '2026-11-20T10:30:00+07:00', act: () => submit(THANH_TRA, [pdf('TT')]) },
    { at: '2026-11-25T09:00:00+07:00', act: () => submit(CNTT, [pdf('CNTT'), PNG]) },
    { at: '2026-12-02T14:00:00+07:00', act: () => submit(VAN_PHONG, [pdf('VP 2, bản thay thế')]) },
    { at: '2026-12-05T10:00:00+07:00', act: () => submit(BUU_CHINH, [HTML_AS_PDF]) },
    { at: '2026-12-08T07:59:00+07:00', act: () => submit(KHTC, [pdf('KHTC')]) },
    {
      at: '2026-12-08T09:00:00+07:00',
      act: async () => {
        secondTick = await runPlanner(rt.plannerDeps, rt.clock.now());
      },
    },
    {
      at: '2026-12-10T10:00:00+07:00',
      act: async () => void (await grantExtension(rt.deps, PLAN, YEAR, PHAT_THANH, '2026-12-22')),
    },
    { at: '2026-12-14T16:00:00+07:00', act: () => submit(BUU_CHINH, [pdf('Bưu chính')]) },
    { at: '2026-12-15T23:30:00+07:00', act: () => submit(CONG_DOAN, [pdf('Công đoàn')]) },
    { at: '2026-12-18T09:00:00+07:00', act: () => submit(TT_CNTT, [pdf('TT CNTT, trễ')]) },
    { at: '2026-12-21T15:00:00+07:00', act: () => submit(PHAT_THANH, [pdf('Phát thanh')]) },
    {
      at: '2027-01-16T09:00:00+07:00',
      act: () =>
        submit(GIAM_SAT, [pdf('Giám sát')]).catch((error) => void refusals.push({ unitId: GIAM_SAT, error })),
    },
  ];

  beforeAll(async () => {
    // The done-criterion is a CPU budget, not a latency target: the whole cycle below —
    // 72 planner runs, every upload, e-mail and the export — must cost under one second of CPU
    // (user + system) with in-memory ports. Reading the demo files happened at import.
    // process.cpuUsage() counts the whole process: sound because vitest's default pool (forks)
    // runs each test file in a process of its own, so no other file's work is counted.
    const before = process.cpuUsage();
    await importUnits(rt.deps, DEMO_UNITS);
    await importPlan(rt.deps, DEMO_PLAN, 'ke-hoach-12-KH-DUS.txt');
    const pending = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (let date = '2026-11-10'; date <= '2027-01-20'; date = addDays(date, 1)) {
      const tick = new Date(`${date}T08:00:00+07:00`);
      while (pending.length > 0 && Date.parse(pending[0]!.at) < tick.getTime()) {
        const event = pending.shift()!;
        rt.clock.set(event.at);
        await event.act();
      }
      rt.clock.set(tick);
      ticks.push({ date, summary: await runPlanner(rt.plannerDeps, tick) });
      await rt.exportInvoker.drain();
    }
    for (const event of pending) {
      rt.clock.set(event.at);
      await event.act();
    }
    const used = process.cpuUsage(before);
    cpuMs = (used.user + used.system) / 1000;
  });

  it('runs the whole cycle in under one second of CPU', () => {
    expect(cpuMs).toBeGreaterThan(0);
    expect(cpuMs).toBeLessThan(1000);
  });

  it('sends exactly the e-mails of the table, day by day', () => {
    const sent = rt.mailQueue.deliveries.filter((d) => d.outcome === 'sent');
    const actual: Record<string, string[]> = {};
    for (const d of sent) {
      const date = localDate(d.at, HCM);
      actual[date] = [...(actual[date] ?? []), shortKey(d.message)];
    }
    const sorted = (table: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(table).map(([date, mails]) => [date, [...mails].sort()]));
    expect(sorted(actual)).toEqual(sorted(EXPECTED));
    expect(rt.sender.sent).toHaveLength(sent.length);
    expect(rt.mailQueue.deadLetters).toEqual([]);
    expect(rt.mailQueue.size).toBe(0);
  });

  it("addresses every unit's e-mail to the unit and its cc, and the committee's to the committee", () => {
    const units = new Map(
      (parse(DEMO_UNITS, { columns: true }) as { id: string; email: string; cc: string }[]).map((u) => [
        u.id,
        { to: [u.email], cc: u.cc ? [u.cc] : [] },
      ]),
    );
    for (const { message } of rt.mailQueue.deliveries) {
      const expected =
        message.unitId === 'committee' ? { to: [COMMITTEE], cc: [] } : units.get(message.unitId);
      expect({ key: message.key, to: message.to, cc: message.cc }).toEqual({ key: message.key, ...expected });
    }
    const cntt = rt.sender.sent.find(
      (s) => s.mail.subject.includes('Biên nhận') && s.mail.to[0] === 'cb.cntt@demo.baocao.example',
    );
    expect(cntt?.mail.cc).toEqual(['pho.bithu.cntt@demo.baocao.example']);
  });

  it('e-mails each unit the link that linkFor gives, and the units upload through it', async () => {
    for (const unitId of ALL) {
      const { token } = await linkFor(rt.uploadDeps, PLAN, YEAR, unitId);
      expect(mailedToken(unitId)).toBe(token);
    }
    expect(uploads.map((u) => `${u.unitId} ${u.outcome}`)).toEqual([
      `${VAN_PHONG} recorded`,
      `${THANH_TRA} recorded`,
      `${CNTT} recorded`,
      `${CNTT} recorded`,
      `${VAN_PHONG} recorded`,
      `${BUU_CHINH} rejected`,
      `${KHTC} recorded`,
      `${BUU_CHINH} recorded`,
      `${CONG_DOAN} recorded`,
      `${TT_CNTT} recorded`,
      `${PHAT_THANH} recorded`,
    ]);
    expect(refusals).toEqual([{ unitId: GIAM_SAT, error: expect.any(ExpiredLinkError) }]);
  });

  it('opens, requests the export and closes on the right days, without failures', () => {
    expect(ticks.flatMap((t) => t.summary.failures)).toEqual([]);
    const on = (pick: (s: PlannerSummary) => unknown[]) =>
      ticks.filter((t) => pick(t.summary).length > 0).map((t) => t.date);
    expect(on((s) => s.opened)).toEqual(['2026-11-15']);
    expect(on((s) => s.exportsRequested)).toEqual(['2026-12-16']);
    expect(on((s) => s.closed)).toEqual(['2027-01-15']);
    expect(rt.exportInvoker.failures).toEqual([]);
    expect(rt.log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('drops the reminders a second tick of the same day queues again (the mailer sends a key once)', () => {
    expect(secondTick.mails).toEqual({ opened: 0, reminder: 6, digest: 0 });
    const again = rt.mailQueue.deliveries.filter(
      (d) => localDate(d.at, HCM) === '2026-12-08' && d.outcome === 'skipped',
    );
    expect(again.map((d) => shortKey(d.message)).sort()).toEqual(
      each([BAO_CHI, BUU_CHINH, PHAT_THANH, TT_CNTT, GIAM_SAT, CONG_DOAN], 'reminder reminder-7').sort(),
    );
  });

  it('counts and lists the units in the digests', () => {
    const digestOf = (date: string) => {
      const m = rt.mailQueue.deliveries.find(
        (d) => d.message.key === `${PLAN}#${YEAR}#committee#digest-${date}`,
      );
      if (m?.message.template !== 'digest') throw new Error(`no digest on ${date}`);
      return m.message.data;
    };
    expect(digestOf('2026-12-14')).toMatchObject({
      occasion: 'weekly',
      expected: 10,
      onTime: 4,
      late: 0,
      missing: 6,
    });
    const afterDeadline = digestOf('2026-12-16');
    expect(afterDeadline).toMatchObject({
      occasion: 'after_deadline',
      expected: 10,
      onTime: 6,
      late: 0,
      missing: 4,
    });
    expect(afterDeadline.missingUnits.map((u) => `${u.unitId} ${u.deadline}`)).toEqual([
      `${BAO_CHI} 2026-12-15`,
      `${PHAT_THANH} 2026-12-22`,
      `${TT_CNTT} 2026-12-15`,
      `${GIAM_SAT} 2026-12-15`,
    ]);
    const last = digestOf('2027-01-11');
    expect(last).toMatchObject({ onTime: 7, late: 1, missing: 2 });
    expect(last.lateUnits).toEqual([expect.objectContaining({ unitId: TT_CNTT })]);
  });

  it('builds the export the day after the deadline, with one summary row per unit', async () => {
    const [record, ...more] = await rt.stores.exports.list(PLAN, YEAR);
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      state: 'ready',
      requestedBy: 'planner',
      createdAt: '2026-12-16T01:00:00.000Z',
      units: 10,
      files: 7,
    });
    const entries = await readZip(rt.bucket.bytes(record!.key)!);
    const names = entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['summary.csv', 'tong-hop.xlsx', 'bao-cao-tong-hop.docx']));
    const csv = entries.find((e) => e.name === 'summary.csv')!.data!.toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.unit_id, r.status, r.deadline, r.files])).toEqual([
      [BAO_CHI, 'missing', '2026-12-15', '0'],
      [BUU_CHINH, 'on_time', '2026-12-15', '1'],
      [CNTT, 'on_time', '2026-12-15', '2'],
      [KHTC, 'on_time', '2026-12-15', '1'],
      [PHAT_THANH, 'missing', '2026-12-22', '0'],
      [THANH_TRA, 'on_time', '2026-12-15', '1'],
      [TT_CNTT, 'missing', '2026-12-15', '0'],
      [GIAM_SAT, 'missing', '2026-12-15', '0'],
      [VAN_PHONG, 'on_time', '2026-12-15', '1'],
      [CONG_DOAN, 'on_time', '2026-12-15', '1'],
    ]);
    const row = (unitId: string): Record<string, string> => rows.find((r) => r.unit_id === unitId) ?? {};
    const vp2 = pdf('VP 2, bản thay thế').bytes;
    expect(row(VAN_PHONG)).toMatchObject({
      unit_name: 'Chi bộ Văn phòng',
      submitted_at: '2026-12-02T07:00:05.000Z',
      bytes: String(vp2.length),
      sha256: sha256(vp2),
    });
    expect(row(CONG_DOAN).submitted_at).toBe('2026-12-15T16:30:05.000Z');
    expect(row(CNTT).sha256?.split(';').sort()).toEqual(
      [sha256(pdf('CNTT').bytes), sha256(PNG.bytes)].sort(),
    );
    const cnttFiles = entries.filter((e) => e.name.startsWith(`don-vi/${CNTT} - `));
    expect(cnttFiles.map((e) => sha256(e.data!)).sort()).toEqual(row(CNTT).sha256?.split(';').sort());
    const ready = rt.mailQueue.deliveries.find((d) => d.message.template === 'export-ready')!.message;
    expect(ready.data).toMatchObject({ expected: 10, reported: 6, onTime: 6, late: 0, missing: 4, files: 7 });
  });

  it('ends with the period closed and every unit on time, late or missing', async () => {
    const status = await periodStatus(rt.deps, PLAN, YEAR);
    expect(status.period).toMatchObject({
      status: 'closed',
      openDate: '2026-11-15',
      openedMailsQueuedAt: '2026-11-15T01:00:00.000Z',
      exportRequestedAt: '2026-12-16T01:00:00.000Z',
      closedAt: '2027-01-15T01:00:00.000Z',
    });
    const byStatus = (s: string) => status.rows.filter((r) => r.status === s).map((r) => r.unitId);
    expect(byStatus('on_time')).toEqual([BUU_CHINH, CNTT, KHTC, PHAT_THANH, THANH_TRA, VAN_PHONG, CONG_DOAN]);
    expect(byStatus('late')).toEqual([TT_CNTT]);
    expect(byStatus('missing')).toEqual([BAO_CHI, GIAM_SAT]);
    expect({ completeness: status.completeness, timeliness: status.timeliness }).toEqual({
      completeness: 0.8,
      timeliness: 0.7,
    });
    expect(status.rows.find((r) => r.unitId === VAN_PHONG)?.fileList).toHaveLength(1);
    expect((await rt.stores.submissions.getAssignment(PLAN, YEAR, VAN_PHONG))?.latestVersion).toBe(2);
  });

  it('leaves no landing object behind: ten reports kept, one refused file quarantined', () => {
    expect(rt.bucket.keys('uploads/')).toEqual([]);
    expect(rt.bucket.keys('reports/')).toHaveLength(10);
    expect(rt.bucket.keys('quarantine/')).toEqual([
      expect.stringMatching(`^quarantine/uploads/${PLAN}/${YEAR}/${BUU_CHINH}/1-`),
    ]);
    expect(rt.bucket.keys('exports/')).toHaveLength(1);
  });
});
