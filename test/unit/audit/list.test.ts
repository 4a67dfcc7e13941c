import { describe, expect, it } from 'vitest';
import { ChainedAuditLog } from '#shared/audit/append.ts';
import { listAuditRecords, parseAuditFilter } from '#shared/audit/list.ts';
import { MemoryAuditStore } from '../../support/memory/audit-store.ts';
import { ManualClock } from '../../support/memory/clock.ts';

const TZ = 'Asia/Ho_Chi_Minh';

describe('parseAuditFilter', () => {
  it('reads dd/mm/yyyy and ISO dates, a unit id, a kind and an actor; 30 days by default', () => {
    expect(parseAuditFilter({}, '2026-12-06')).toEqual({ since: '2026-11-07' });
    expect(
      parseAuditFilter(
        { since: '1/12/2026', until: '2026-12-05', unit: ' cb-a ', kind: 'download.file', actor: 'VanPhong' },
        '2026-12-06',
      ),
    ).toEqual({
      since: '2026-12-01',
      until: '2026-12-05',
      unitId: 'cb-a',
      kind: 'download.file',
      actor: 'vanphong',
    });
  });

  it.each([
    [{ since: '30/02/2026' }, 'Ngày bắt đầu không hợp lệ: "30/02/2026"'],
    [{ until: 'hôm qua' }, 'Ngày kết thúc không hợp lệ: "hôm qua"'],
    [{ since: '05/12/2026', until: '04/12/2026' }, 'Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.'],
    [{ unit: 'a'.repeat(101) }, 'Bộ lọc "unit" dài quá 100 ký tự.'],
    [{ unit: '=HYPERLINK("x")' }, 'Mã đơn vị không hợp lệ'],
    [{ kind: 'everything' }, 'Loại sự kiện không có: "everything".'],
    [{ actor: 'a\u0000b' }, 'Bộ lọc "actor" chứa ký tự không hợp lệ.'],
    [{ since: ['01/12/2026', '02/12/2026'] }, 'Bộ lọc "since" chỉ được nhập một lần.'],
    [{ unit: 42 }, 'Bộ lọc "unit" không hợp lệ.'],
  ])('refuses %j in Vietnamese', (input, message) => {
    expect(() => parseAuditFilter(input, '2026-12-06')).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining(message) }),
    );
  });
});

describe('listAuditRecords', () => {
  it('lists newest first within the days, by unit as actor or target, with the IP while kept, and says when it cut', async () => {
    // Prepare
    const clock = new ManualClock('2026-11-30T16:30:00.000Z'); // 01/12 23:30 local
    const store = new MemoryAuditStore();
    const log = new ChainedAuditLog(store, clock, { ipRetentionDays: 2 });
    await log.append({
      kind: 'unit.changed',
      actor: { type: 'member', id: 'a@so.vn' },
      target: { unitId: 'cb-a' },
    });
    clock.set('2026-12-01T17:30:00.000Z'); // 02/12 00:30 local
    await log.append({ kind: 'link.opened', actor: { type: 'unit', id: 'cb-a' }, clientIp: '203.0.113.9' });
    await log.append({
      kind: 'unit.changed',
      actor: { type: 'member', id: 'a@so.vn' },
      target: { unitId: 'cb-b' },
    });
    await log.append({
      kind: 'unit.changed',
      actor: { type: 'member', id: 'a@so.vn' },
      target: { unitId: 'cb-a' },
    });
    const deps = { store, clock, timeZone: TZ };
    // Act
    const fromSecond = await listAuditRecords(deps, { since: '2026-12-02', unitId: 'cb-a' });
    const cut = await listAuditRecords(deps, { since: '2026-12-01' }, { limit: 2 });
    clock.set('2026-12-04T17:30:00.000Z');
    const later = await listAuditRecords(deps, { since: '2026-12-02', unitId: 'cb-a' });
    // Assess
    expect(fromSecond.rows.map((r) => [r.record.seq, r.ip])).toEqual([
      [4, undefined],
      [2, '203.0.113.9'],
    ]);
    expect(cut).toMatchObject({ truncated: true, rows: [{ record: { seq: 4 } }, { record: { seq: 3 } }] });
    expect(later.rows.map((r) => [r.record.seq, r.ip])).toEqual([
      [4, undefined],
      [2, undefined],
    ]);
  });
});
