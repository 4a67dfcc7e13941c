import { describe, expect, it } from 'vitest';
import { parseDateVi } from '#shared/domain/calendar.ts';

describe('parseDateVi', () => {
  it('reads dd/mm/yyyy and its common variants, and ISO dates', () => {
    expect(parseDateVi('15/12/2026')).toBe('2026-12-15');
    expect(parseDateVi(' 5/1/2027 ')).toBe('2027-01-05');
    expect(parseDateVi('05-01-2027')).toBe('2027-01-05');
    expect(parseDateVi('05.01.2027')).toBe('2027-01-05');
    expect(parseDateVi('2027-01-05')).toBe('2027-01-05');
  });
  it.each(['31/02/2026', '12/15/2026', '', '15/12/26', 'ngày mai', '1/1/2026<script>'])(
    'refuses %j in Vietnamese',
    (text) => {
      expect(() => parseDateVi(text)).toThrow(/Ngày không hợp lệ|Invalid date/);
    },
  );
});
