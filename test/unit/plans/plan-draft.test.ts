/**
 * The tolerant reading of a plan document for the web app's preview: what the reader cannot find
 * is left empty and named, instead of refusing the document; what cannot be read at all (binary
 * data, a ZIP bomb, an oversized file) is still refused with a Vietnamese message.
 */
import { describe, expect, it } from 'vitest';
import { inProcessDocumentReader as reader } from '#functions/document-reader.ts';
import { PayloadTooLargeError, PlanDocumentError } from '#shared/errors.ts';
import { MAX_PLAN_DOCUMENT_BYTES } from '#shared/input-limits.ts';
import { parsePlanDraft, parsePlanText } from '#shared/plans/parse-plan.ts';
import { readPlanDraft } from '#shared/plans/read-plan-document.ts';
import { SEED_PLAN_TEXT, textToDocx } from '#test/support/plan-docx.ts';
import { docxBomb } from '../files/zip-builders.ts';

const SEED_TITLES = [
  'Đổi mới mạnh mẽ, sâu sắc và vững chắc nội dung, phương thức công tác tư tưởng; nâng cao trách nhiệm của cấp ủy chi bộ, đảng bộ, đảng viên đối với công tác tư tưởng',
  'Tập trung đổi mới nội dung và phương thức tổ chức tuyên truyền, giáo dục lý luận chính trị rộng rãi, sâu sắc chủ nghĩa Mác-Lênin, tư tưởng Hồ Chí Minh, các nghị quyết, chỉ thị của Đảng, chính sách pháp luật của Nhà nước',
  'Nâng cao chất lượng cán bộ làm công tác tư tưởng',
  'Nâng cao chất lượng xây dựng, ban hành và triển khai thực hiện nghị quyết công tác tư tưởng.',
  'Triển khai các nhiệm vụ, giải pháp đấu tranh, phản bác các quan điểm sai trái, thù địch góp phần bảo vệ nền tảng tư tưởng của Đảng; củng cố kiện toàn Ban Chỉ đạo 35 Đảng ủy.',
  'Tăng cường công tác kiểm tra, giám sát việc triển khai, thực hiện các nghị quyết, chỉ thị có liên quan đến công tác tư tưởng',
];

/** The seed plan without its "Số …" line and its task groups section (II- … up to III-). */
function seedWithoutNumberAndTasks(): string {
  const start = SEED_PLAN_TEXT.indexOf('II- NHIỆM VỤ VÀ GIẢI PHÁP');
  const end = SEED_PLAN_TEXT.indexOf('III-', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return (SEED_PLAN_TEXT.slice(0, start) + SEED_PLAN_TEXT.slice(end)).replace('Số 30-KH/ĐUK', '');
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

describe('parsePlanDraft — the tolerant reader', () => {
  it('reads the seed plan whole, as the strict reader does', () => {
    // Act
    const draft = parsePlanDraft(SEED_PLAN_TEXT);
    // Assess
    expect(draft.missing).toEqual([]);
    const { number, date, title, issuer, superior, taskGroups, recipients, reportingFrequency } = draft;
    expect({ number, date, title, issuer, superior, taskGroups, recipients, reportingFrequency }).toEqual(
      parsePlanText(SEED_PLAN_TEXT),
    );
    expect(draft.number).toBe('30-KH/ĐUK');
    expect(draft.superior).toEqual({ number: '59-KH/ĐUK', date: '2022-03-22' });
    expect(draft.taskGroups.map((g) => g.title)).toEqual(SEED_TITLES);
  });

  it('leaves the parts it cannot find empty and names them, keeping everything else', () => {
    // Prepare
    const text = seedWithoutNumberAndTasks();
    // Act
    const draft = parsePlanDraft(text);
    // Assess
    expect(draft.missing).toEqual(['number', 'taskGroups']);
    expect(draft.number).toBeNull();
    expect(draft.taskGroups).toEqual([]);
    expect(draft.title).toBe('Đổi mới công tác tư tưởng trong tình hình mới');
    expect(draft.issuer).toBe('Đảng ủy Sở');
    expect(draft.recipients).toContain('Chi bộ trực thuộc');
    expect(draft.reportingFrequency).toBe('yearly');
  });

  it('keeps the strict reader of `baocao plan import` refusing the same text', () => {
    // Act
    const error = (() => {
      try {
        parsePlanText(seedWithoutNumberAndTasks());
      } catch (e) {
        return e as PlanDocumentError;
      }
      throw new Error('expected a refusal');
    })();
    // Assess
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect(error.missing).toEqual(['số kế hoạch', 'nhiệm vụ']);
  });

  it('names every part of a text that is no plan at all', () => {
    const draft = parsePlanDraft('Xin chào\nđây là một lá thư');
    expect(draft.missing).toEqual(['number', 'title', 'issuer', 'taskGroups', 'reportingFrequency']);
    expect(draft).toMatchObject({ number: null, title: null, issuer: null, taskGroups: [], recipients: [] });
  });
});

describe('readPlanDraft — files', () => {
  it('reads the seed plan from a Word document as from its text', async () => {
    // Prepare
    const docx = await textToDocx(SEED_PLAN_TEXT);
    // Act
    const draft = await readPlanDraft(docx, 'ke-hoach-30.docx', reader);
    // Assess
    expect(draft.missing).toEqual([]);
    expect(draft.taskGroups.map((g) => g.title)).toEqual(SEED_TITLES);
  });

  it('reads a .txt saved by Notepad as "Unicode" (UTF-16 LE with a BOM)', async () => {
    // Prepare
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(seedWithoutNumberAndTasks(), 'utf16le'),
    ]);
    // Act
    const draft = await readPlanDraft(new Uint8Array(utf16), 'ke-hoach.txt', reader);
    // Assess
    expect(draft.missing).toEqual(['number', 'taskGroups']);
    expect(draft.title).toBe('Đổi mới công tác tư tưởng trong tình hình mới');
  });

  it('refuses binary junk named .docx with a Vietnamese message', async () => {
    // Prepare
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    // Act
    const error = await refusal(readPlanDraft(junk, 'ke-hoach.docx', reader));
    // Assess
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toContain('không phải là tài liệu Word (.docx) hợp lệ');
  });

  it('refuses a ZIP bomb named .docx before inflating it', async () => {
    // Prepare: 20 MiB of zeros in about 20 KB (twice the 10 MB a part may inflate to).
    const bomb = new Uint8Array(await docxBomb(20));
    expect(bomb.length).toBeLessThan(64 * 1024);
    // Act
    const error = await refusal(readPlanDraft(bomb, 'bom.docx', reader));
    // Assess
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toMatch(/quá lớn khi giải nén/);
  });

  it('refuses an oversized file before reading it', async () => {
    // Prepare
    const big = new Uint8Array(MAX_PLAN_DOCUMENT_BYTES + 1).fill(0x61);
    // Act
    const error = await refusal(readPlanDraft(big, 'to.txt', reader));
    // Assess
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect((error as PayloadTooLargeError).userMessage).toMatch(/lớn quá/);
  });

  it('refuses a file of another type', async () => {
    const error = await refusal(readPlanDraft(new TextEncoder().encode('%PDF-1.4'), 'ke-hoach.odt', reader));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toContain('chỉ nhận tệp .txt, .docx hoặc .pdf');
  });
});
