import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#shared/config.ts';
import {
  committeeKind,
  committeeSign,
  superiorCommitteeOf,
  superiorHeaderLine,
} from '#shared/export/docx/party-frame.ts';

const plan = (recipients: string[]) => ({ number: '12-KH/ĐUS', issuer: 'Đảng ủy Sở', recipients });

describe('the frame of a Party document (Hướng dẫn 36-HD/VPTW)', () => {
  it('takes the superior committee from the configuration first, else the first organisation the plan was sent to', () => {
    const recipients = ['Các chi bộ trực thuộc', 'Ban Thường vụ Đảng ủy Khối (để báo cáo)', 'Lưu VP'];
    expect(
      superiorCommitteeOf({
        plan: plan(recipients),
        committeeName: 'x',
        superiorCommittee: ' Tỉnh ủy Hải Dương ',
      }),
    ).toBe('Tỉnh ủy Hải Dương');
    expect(superiorCommitteeOf({ plan: plan(recipients), committeeName: 'x' })).toBe(
      'Ban Thường vụ Đảng ủy Khối',
    );
    expect(superiorCommitteeOf({ plan: plan(['Đảng ủy Khối (b/c)']), committeeName: 'x' })).toBe(
      'Đảng ủy Khối',
    );
    expect(
      superiorCommitteeOf({ plan: plan(['Các chi bộ', 'Lưu: VPĐU']), committeeName: 'x' }),
    ).toBeUndefined();
    expect(
      superiorCommitteeOf({ plan: plan([]), committeeName: 'x', superiorCommittee: '   ' }),
    ).toBeUndefined();
  });

  it('heads the document with the superior Party organisation (its Đảng bộ), or dots to fill in', () => {
    expect(superiorHeaderLine('Đảng ủy Khối các cơ quan tỉnh')).toBe('ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH');
    expect(superiorHeaderLine('Ban Thường vụ Đảng uỷ Khối')).toBe('ĐẢNG BỘ KHỐI');
    expect(superiorHeaderLine('Tỉnh ủy Hải Dương')).toBe('TỈNH ỦY HẢI DƯƠNG');
    expect(superiorHeaderLine(undefined)).toBe('ĐẢNG BỘ ……………');
  });

  it("signs the number with the committee's sign from the plan number, and for the committee by its kind", () => {
    expect(committeeSign('12-KH/ĐUS')).toBe('ĐUS');
    expect(committeeSign('05-KH/CB')).toBe('CB');
    expect(committeeSign('12')).toBe('…');
    expect(committeeKind('Đảng ủy Sở Thông tin và Truyền thông')).toBe('ĐẢNG ỦY');
    expect(committeeKind('Đảng uỷ Phường 3')).toBe('ĐẢNG ỦY');
    expect(committeeKind('Chi bộ Trường THPT Lê Quý Đôn')).toBe('CHI BỘ');
    expect(committeeKind('Ban Thường vụ Huyện ủy')).toBe('BAN THƯỜNG VỤ');
    expect(committeeKind('=HYPERLINK("x")')).toBe('ĐẢNG ỦY');
  });
});

describe('the report frame settings (COMMITTEE_PLACE, SUPERIOR_COMMITTEE)', () => {
  const base = { PLANS_TABLE: 'plans', SUBMISSIONS_TABLE: 'subs', REPORTS_BUCKET: 'bucket' };

  it('are optional, and read as given', () => {
    const config = parseConfig(base);
    expect(config.COMMITTEE_PLACE).toBeUndefined();
    expect(config.SUPERIOR_COMMITTEE).toBeUndefined();
    expect(
      parseConfig({
        ...base,
        COMMITTEE_PLACE: 'Hải Dương',
        SUPERIOR_COMMITTEE: 'Đảng ủy Khối các cơ quan tỉnh',
      }),
    ).toMatchObject({ COMMITTEE_PLACE: 'Hải Dương', SUPERIOR_COMMITTEE: 'Đảng ủy Khối các cơ quan tỉnh' });
  });

  it('refuse empty and oversized values, naming the setting', () => {
    for (const env of [
      { COMMITTEE_PLACE: '' },
      { COMMITTEE_PLACE: 'x'.repeat(101) },
      { SUPERIOR_COMMITTEE: 'x'.repeat(201) },
    ]) {
      expect(() => parseConfig({ ...base, ...env })).toThrow(ConfigError);
      expect(() => parseConfig({ ...base, ...env })).toThrow(Object.keys(env)[0]!);
    }
  });
});
