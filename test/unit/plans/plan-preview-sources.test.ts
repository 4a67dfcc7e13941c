/**
 * The import preview says where each field was read (the line and its text) and marks what the
 * document does not say, so that a person can check and complete it before saving.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { renderPlanPreview } from '#functions/web/plan-pages.ts';
import { previewPlanImport } from '#shared/plans/plan-import.ts';
import { createMemoryRuntime } from '#test/support/memory/runtime.ts';
import { SEED_PLAN_TEXT } from '#test/support/plan-docx.ts';

const ctx = {
  committeeName: 'Đảng ủy Sở',
  timeZone: 'Asia/Ho_Chi_Minh',
  session: { email: 'a@example.org', csrf: 'tok', role: 'admin' as const },
};

async function previewPage(bytes: Uint8Array, fileName: string): Promise<string> {
  const rt = createMemoryRuntime({ now: '2026-11-29T02:00:00Z' });
  const preview = await previewPlanImport(rt.deps, bytes, fileName, inProcessDocumentReader);
  return renderPlanPreview({ ...preview, reviewedUpdatedAt: '' }, ctx);
}

describe('the import preview — where each field was read', () => {
  it('shows the seed plan’s source lines and marks its issue date as not in the document', async () => {
    // Act
    const page = await previewPage(new TextEncoder().encode(SEED_PLAN_TEXT), 'ke-hoach-30.txt');
    // Assess
    expect(page).toContain('data-source="number">Đọc từ dòng 4: “Số 30-KH/ĐUK”</p>');
    expect(page).toContain(
      'data-source="title">Đọc từ dòng 8: “Đổi mới công tác tư tưởng trong tình hình mới”</p>',
    );
    expect(page).toContain('data-source="taskGroups">Đọc từ dòng 20: “II- NHIỆM VỤ VÀ GIẢI PHÁP”</p>');
    // The seed's text carries no issue date (its header table with place and date was lost).
    expect(page).toContain('data-not-found="date">Không thấy trong tài liệu — hãy điền nếu có.</p>');
    expect(page).toMatch(
      /<input id="date" name="date" type="text" value=""[^>]*aria-describedby="date-source date-hint"/,
    );
  });

  it('fills the deadline the document gives and lists the documents it rests on', async () => {
    // Prepare
    const bytes = new Uint8Array(
      readFileSync(new URL('../../fixtures/plans/corpus/ctr-hanh-dong-05-CTr.txt', import.meta.url)),
    );
    // Act
    const page = await previewPage(bytes, 'chuong-trinh.txt');
    // Assess
    expect(page).toContain('<input id="deadline" name="deadline" type="text" value="10/12"');
    expect(page).toContain('<dt>Loại văn bản</dt><dd>Chương trình</dd>');
    expect(page).toContain('<li>Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị</li>');
    expect(page).toContain('<dt>Định kỳ báo cáo</dt><dd>hằng năm, 6 tháng</dd>');
    expect(page).toContain('<dd>Các chi bộ trực thuộc về Đảng ủy Sở</dd>');
  });

  it('leaves a required field missing for a person to complete instead of refusing the document', async () => {
    // Prepare
    const bytes = new Uint8Array(
      readFileSync(new URL('../../fixtures/plans/corpus/ke-hoach-sau-thang.txt', import.meta.url)),
    );
    // Act
    const page = await previewPage(bytes, 'sau-thang.txt');
    // Assess
    expect(page).toContain('data-missing="reportingFrequency">Chưa đọc được — hãy điền.</p>');
    expect(page).toContain('<dt>Định kỳ báo cáo</dt><dd>6 tháng</dd>');
  });
});
