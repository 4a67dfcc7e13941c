import { describe, expect, it } from 'vitest';
import {
  formatSizeOver,
  MAX_PLAN_DOCUMENT_BYTES,
  planDocumentTooLarge,
  unitsCsvTooLarge,
} from '#shared/input-limits.ts';

describe('input limits: how sizes are told to people', () => {
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
