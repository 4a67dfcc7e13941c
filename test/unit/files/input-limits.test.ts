import { describe, expect, it } from 'vitest';
import {
  formatBytesVi,
  formatCountVi,
  formatSizeOver,
  MAX_PLAN_DOCUMENT_BYTES,
  planDocumentTooLarge,
  unitsCsvTooLarge,
} from '#shared/input-limits.ts';

describe('input limits: how sizes are told to people', () => {
  it('writes sizes and counts the Vietnamese way', () => {
    expect(
      [0, 512, 1024, 1536, 256 * 1024, 2.5 * 1024 * 1024, 10 * 1024 * 1024, 150 * 1024 * 1024].map(
        formatBytesVi,
      ),
    ).toEqual(['0 byte', '512 byte', '1 KB', '1,5 KB', '256 KB', '2,5 MB', '10 MB', '150 MB']);
    expect([5, 5000, 1_000_000].map(formatCountVi)).toEqual(['5', '5.000', '1.000.000']);
  });

  it('never shows a size equal to the limit it broke', () => {
    expect(formatSizeOver(MAX_PLAN_DOCUMENT_BYTES + 1, MAX_PLAN_DOCUMENT_BYTES)).toBe('hơn 10 MB');
    expect(formatSizeOver(undefined, MAX_PLAN_DOCUMENT_BYTES)).toBe('hơn 10 MB');
    expect(formatSizeOver(12.5 * 1024 * 1024, MAX_PLAN_DOCUMENT_BYTES)).toBe('12,5 MB');
  });

  it('names the file, its size and the limit in one sentence', () => {
    expect(planDocumentTooLarge('ke-hoach.docx', 12.5 * 1024 * 1024)).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      userMessage: 'Tệp ke-hoach.docx lớn quá (12,5 MB); giới hạn cho tài liệu kế hoạch là 10 MB.',
    });
    expect(unitsCsvTooLarge('don-vi.csv', undefined).userMessage).toBe(
      'Tệp don-vi.csv lớn quá (hơn 2 MB); giới hạn cho danh sách đơn vị (CSV) là 2 MB.',
    );
  });
});
