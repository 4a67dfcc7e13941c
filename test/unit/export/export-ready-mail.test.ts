import { describe, expect, it } from 'vitest';
import { parseMailMessage } from '#shared/domain/mail-message.ts';
import { exportReadyMail } from '#shared/export/build-export.ts';
import type { ExportRecord } from '#shared/export/ports.ts';
import { renderMail } from '#shared/mail/templates.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';

const record: ExportRecord = {
  planId: '12-kh-dus-2025',
  year: 2026,
  exportId: '20261216T010000Z-0a1b2c3d',
  state: 'ready',
  requestedBy: 'planner',
  createdAt: '2026-12-16T01:00:00Z',
  finishedAt: '2026-12-16T01:02:00Z',
  key: 'exports/12-kh-dus-2025/2026/20261216T010000Z-0a1b2c3d.zip',
  size: 5 * 1024 * 1024,
  units: 2,
  files: 3,
  error: null,
};

describe('export-ready e-mail', () => {
  const content = sampleContent([
    sampleUnit('cb-a', 'Chi bộ A', 'on_time'),
    sampleUnit('cb-b', 'Chi bộ B', 'missing'),
  ]);

  it('goes to the committee with a link to the period page of the app, never to S3', () => {
    const message = exportReadyMail(
      ['vanphong@example.org'],
      { appUrl: 'https://baocao.example.vn/' },
      content,
      record,
    )!;
    expect(parseMailMessage(message)).toEqual(message);
    expect(message.to).toEqual(['vanphong@example.org']);
    expect(message.key).toBe('12-kh-dus-2025#2026#committee#export-20261216T010000Z-0a1b2c3d');
    const mail = renderMail(message, 'Đảng ủy Sở');
    expect(mail.subject).toBe('[12-KH/ĐUS] Đã tổng hợp kết quả báo cáo năm 2026 — 1/2 đơn vị đã nộp');
    expect(mail.text).toContain('https://baocao.example.vn/admin/plans/12-kh-dus-2025/2026');
    expect(mail.html).toContain('href="https://baocao.example.vn/admin/plans/12-kh-dus-2025/2026"');
    expect(mail.text).toContain('Tỷ lệ đầy đủ: 50,0%');
    expect(mail.text).toContain('Thời điểm tổng hợp: 16/12/2026 08:02');
    expect(mail.text).toContain('Dung lượng gói tổng hợp: 5 MB');
    for (const body of [mail.text, mail.html]) {
      expect(body).not.toMatch(/X-Amz-|amazonaws|exports\//);
    }
  });

  it('is not sent when the committee has no one to send it to', () => {
    expect(exportReadyMail([], { appUrl: undefined }, content, record)).toBeUndefined();
  });
});
