/**
 * Plan documents as they may really come, good and bad: PDFs (with a text layer, a scan without
 * one, one carrying JavaScript, random bytes), an old binary .doc, a text far over the limit,
 * invalid UTF-8 — each hostile one refused with a Vietnamese message and nothing stored; and the
 * command-line import, which refuses an incomplete plan naming what is missing unless allowed.
 */
import { readFileSync } from 'node:fs';
import { PDFDocument, PDFName, PDFString, rgb } from 'pdf-lib';
import { beforeEach, describe, expect, it } from 'vitest';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { PayloadTooLargeError, PlanDocumentError } from '#shared/errors.ts';
import { extractPdfText } from '#shared/plans/pdf-text.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { readPlanDocument } from '#shared/plans/read-plan-document.ts';
import { createMemoryRuntime, type MemoryRuntime } from '#test/support/memory/runtime.ts';
import { readSource, sourceToPdf } from '#test/support/plan-corpus.ts';

const CORPUS = new URL('../../fixtures/plans/corpus/', import.meta.url);
const reader = inProcessDocumentReader;

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
}

/** Deterministic pseudo-random bytes. */
function randomBytes(length: number, seed = 7): Uint8Array {
  let state = seed;
  return new Uint8Array(length).map(() => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state & 0xff;
  });
}

/** A one-page PDF with a picture-like rectangle and no text: what a scanner gives. */
async function scannedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([420, 595]);
  page.drawRectangle({ x: 40, y: 40, width: 340, height: 515, color: rgb(0.9, 0.9, 0.9) });
  return pdf.save();
}

/** A plan PDF whose catalogue opens with a JavaScript action. */
async function pdfWithJavaScript(): Promise<Uint8Array> {
  const bytes = readFileSync(new URL('pdf-huong-dan.pdf', CORPUS));
  const pdf = await PDFDocument.load(bytes);
  const action = pdf.context.obj({
    Type: 'Action',
    S: 'JavaScript',
    JS: PDFString.of('app.alert("xin chào")'),
  });
  pdf.catalog.set(PDFName.of('OpenAction'), pdf.context.register(action));
  return pdf.save({ useObjectStreams: false });
}

describe('readPlanDocument — PDF', () => {
  it('reads a PDF with a text layer: header columns, running header and page numbers left out, wrapped lines joined', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('pdf-ke-hoach-nhieu-trang.pdf', CORPUS)));
    // Act
    const text = await readPlanDocument(bytes, 'ke-hoach.pdf', reader);
    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('ĐẢNG BỘ TỈNH ĐỒNG NAI\tĐẢNG CỘNG SẢN VIỆT NAM');
    expect(lines).toContain('Đẩy mạnh ứng dụng công nghệ thông tin trong công tác đảng năm 2024 - 2025');
    expect(text).not.toMatch(/Trang \d\/\d/);
    expect(text).not.toContain('— Kế hoạch số 31-KH/ĐU');
  });

  it('reads a PDF of about forty pages page by page, every page of the body kept', async () => {
    // Prepare: the same plan body 20 times over (about 40 A5 pages).
    const source = readSource(readFileSync(new URL('sources/pdf-huong-dan.src.txt', CORPUS), 'utf8'));
    const bytes = await sourceToPdf(source, { repeatBody: 20 });
    // Act
    const text = await extractPdfText(bytes);
    // Assess
    expect(text.match(/^HƯỚNG DẪN$/gmu)).toHaveLength(20);
  });

  it('refuses random bytes named .pdf', async () => {
    const error = await refusal(readPlanDocument(randomBytes(8192), 'ke-hoach.pdf', reader));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toContain('không phải là tài liệu PDF hợp lệ');
  });

  it('refuses random bytes after a PDF signature without exposing pdf.js errors', async () => {
    const bytes = new Uint8Array([...Buffer.from('%PDF-1.7\n'), ...randomBytes(8192, 3)]);
    const error = await refusal(readPlanDocument(bytes, 'ke-hoach.pdf', reader));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toMatch(
      /không phải là tài liệu PDF hợp lệ|không có lớp chữ/,
    );
  });

  it('refuses a scanned PDF without text: it must be typed or OCR-ed first', async () => {
    const error = await refusal(readPlanDocument(await scannedPdf(), 'ban-chup.pdf', reader));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toContain('cần gõ lại hoặc nhận dạng chữ (OCR) trước');
  });

  it('refuses a PDF carrying a JavaScript action', async () => {
    const error = await refusal(readPlanDocument(await pdfWithJavaScript(), 'ke-hoach.pdf', reader));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect((error as PlanDocumentError).userMessage).toContain('JavaScript');
  });

  it('refuses a PDF where no PDF reader is wired, with a way onward', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('pdf-huong-dan.pdf', CORPUS)));
    const error = await refusal(readPlanDocument(bytes, 'ke-hoach.pdf'));
    expect((error as PlanDocumentError).userMessage).toContain('hãy dùng tệp .docx');
  });
});

describe('readPlanDocument — other hostile files', () => {
  it.each(['ke-hoach.doc', 'ke-hoach.docx'])(
    'refuses an old binary Word document named %s: save it as .docx',
    async (name) => {
      const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...randomBytes(4096)]);
      const error = await refusal(readPlanDocument(ole, name, reader));
      expect(error).toBeInstanceOf(PlanDocumentError);
      expect((error as PlanDocumentError).userMessage).toContain('lưu lại thành .docx');
    },
  );

  it('refuses a 100 MB text before reading it', async () => {
    const error = await refusal(
      readPlanDocument(new Uint8Array(100 * 1024 * 1024).fill(0x61), 'to.txt', reader),
    );
    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it('refuses invalid UTF-8', async () => {
    const bytes = new Uint8Array([...Buffer.from('KẾ HOẠCH '), 0xc3, 0x28, 0xa0, 0xa1]);
    const error = await refusal(readPlanDocument(bytes, 'ke-hoach.txt', reader));
    expect((error as PlanDocumentError).userMessage).toContain('không phải là văn bản UTF-8 hợp lệ');
  });
});

describe('importPlan — the command line', () => {
  let rt: MemoryRuntime;
  beforeEach(() => {
    rt = createMemoryRuntime({ now: '2026-11-29T02:00:00Z' });
  });

  it.each([
    ['random bytes', 'x.pdf', randomBytes(4096)],
    ['an old .doc', 'x.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
  ])('stores nothing for %s', async (_what, name, bytes) => {
    await refusal(importPlan(rt.deps, bytes, name, { reader }));
    expect(await rt.deps.plans.listPlans()).toEqual([]);
  });

  it('stores nothing for a scanned PDF', async () => {
    await refusal(importPlan(rt.deps, await scannedPdf(), 'scan.pdf', { reader }));
    expect(await rt.deps.plans.listPlans()).toEqual([]);
  });

  it('refuses a plan without a yearly reporting duty, naming it, and saves it with --allow-incomplete', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('ke-hoach-sau-thang.txt', CORPUS)));
    // Act
    const error = await refusal(importPlan(rt.deps, bytes, 'ke-hoach-sau-thang.txt', { reader }));
    const saved = await importPlan(rt.deps, bytes, 'ke-hoach-sau-thang.txt', {
      reader,
      allowIncomplete: true,
    });
    // Assess
    expect((error as PlanDocumentError).missing).toEqual(['định kỳ báo cáo']);
    expect(saved.defaulted).toEqual(['reportingFrequency']);
    expect(saved.plan.reportingFrequency).toBe('yearly');
    expect(saved.draft.reportingCycles).toEqual(['half-yearly']);
    expect((await rt.deps.plans.listPlans()).map((p) => p.id)).toEqual(['09-kh-du-2025']);
  });

  it('takes the reporting deadline written in a new plan and says where each field was read', async () => {
    // Prepare
    const bytes = new Uint8Array(readFileSync(new URL('pdf-chuong-trinh.pdf', CORPUS)));
    // Act
    const { plan, draft } = await importPlan(rt.deps, bytes, 'chuong-trinh.pdf', { reader });
    // Assess
    expect(plan.calendar.deadline).toBe('12-05');
    expect(draft.sources.deadline?.text).toContain('trước ngày 05 tháng 12');
    expect(draft.sources.number).toEqual({ line: 4, text: 'Số 07-CTr/ĐU' });
  });
});
