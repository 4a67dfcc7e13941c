/**
 * The document-reader Lambda (functions/document-reader.ts) and setup-api's side of it
 * (shared/adapters/document-reader-invoker.ts): a plan's PDF or Word document, or the units'
 * workbook, travels in base64 in a synchronous, signed Invoke; the text, the sheet's rows or the
 * kind of problem comes back, and the problem reaches the person as the same Vietnamese message
 * as in-process. The fake Lambda endpoint answers with the real handler.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inProcessDocumentReader, readDocument } from '#functions/document-reader.ts';
import { LambdaDocumentReader } from '#shared/adapters/document-reader-invoker.ts';
import { CsvValidationError, PlanDocumentError } from '#shared/errors.ts';
import { readPlanDocument } from '#shared/plans/read-plan-document.ts';
import { readUnitsXlsxRows } from '#shared/units/read-units-xlsx.ts';
import { docxBomb } from '../files/zip-builders.ts';

const corpus = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/plans/corpus/${name}`, import.meta.url)));
const PDF = corpus('pdf-huong-dan.pdf');
const DOCX = corpus('docx-so-tu-dong.docx');
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function workbook(rows: ExcelJS.CellValue[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Đơn vị');
  for (const values of rows) sheet.addRow(values);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function refusal<T>(promise: Promise<T>): Promise<Error & { userMessage: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & { userMessage: string };
}

describe('document-reader handler', () => {
  it('answers the text of a PDF sent in base64', async () => {
    const answer = await readDocument({ read: 'plan-text', kind: 'pdf', document: b64(PDF) });
    expect('text' in answer && answer.text).toContain('HƯỚNG DẪN\n');
  });

  it('answers the text of a Word document, as read in-process', async () => {
    const answer = await readDocument({ read: 'plan-text', kind: 'docx', document: b64(DOCX) });
    expect(answer).toEqual({ text: await inProcessDocumentReader.planText('docx', DOCX) });
  });

  it("answers a workbook's rows as string cells, with the rows' numbers", async () => {
    const bytes = await workbook([['id', 'name', 'email'], [], [2024, 'Chi bộ A', 'a@example.vn']]);
    const answer = await readDocument({ read: 'units-sheet', document: b64(bytes) });
    expect(answer).toEqual({
      rows: [
        { row: 1, cells: ['id', 'name', 'email'] },
        { row: 3, cells: ['2024', 'Chi bộ A', 'a@example.vn'] },
      ],
    });
  });

  it('answers why a ZIP bomb named .docx is refused, without inflating it', async () => {
    const answer = await readDocument({
      read: 'plan-text',
      kind: 'docx',
      document: b64(await docxBomb(300)),
    });
    expect(answer).toMatchObject({
      problem: 'refused',
      refusal: { detailVi: expect.stringContaining('10 MB') },
    });
  });

  it('refuses a sheet whose values pass the bound of an answer (one shared string repeated), as too long', async () => {
    const long = 'Chi bộ '.repeat(57);
    const bytes = await workbook([
      ['id', 'name', 'email', 'cc', 'note'],
      ...Array.from({ length: 1000 }, () => [long, long, long, long, long]),
    ]);
    expect(await readDocument({ read: 'units-sheet', document: b64(bytes) })).toMatchObject({
      problem: 'too-long',
    });
    const error = await refusal(readUnitsXlsxRows(bytes, 'don-vi.xlsx', inProcessDocumentReader));
    expect((error as unknown as CsvValidationError).errors).toEqual([
      { line: 1, message: expect.stringContaining('có quá nhiều chữ cho một danh sách đơn vị') },
    ]);
  });

  it('answers at most the rows the units check reads (a header, the limit and one more)', async () => {
    const rows = Array.from({ length: 5100 }, (_, i) => [`cb-${i}`, `Chi bộ ${i}`, `u${i}@example.vn`]);
    const bytes = await workbook([['id', 'name', 'email'], ...rows]);
    const answer = await readDocument({ read: 'units-sheet', document: b64(bytes) });
    expect('rows' in answer && answer.rows.length).toBe(5002);
    const error = await refusal(readUnitsXlsxRows(bytes, 'don-vi.xlsx', inProcessDocumentReader));
    expect((error as unknown as CsvValidationError).errors.at(-1)?.message).toContain(
      'tối đa 5.000 dòng dữ liệu',
    );
  });

  it.each([
    ['no document', {}],
    ['no request', null],
    ['an unknown reading', { read: 'everything', document: b64(PDF) }],
    ['an unknown kind', { read: 'plan-text', kind: 'odt', document: b64(DOCX) }],
    ['not a string', { read: 'plan-text', kind: 'pdf', document: 42 }],
    ['over the size limit', { read: 'units-sheet', document: 'A'.repeat(3 * 1024 * 1024) }],
    ['random bytes as a PDF', { read: 'plan-text', kind: 'pdf', document: b64(Buffer.from('only words')) }],
    ['random bytes as a workbook', { read: 'units-sheet', document: b64(Buffer.from('PK\u0003\u0004junk')) }],
  ])('answers "unreadable" for %s, without throwing', async (_what, request) => {
    expect(await readDocument(request)).toEqual({ problem: 'unreadable' });
  });
});

describe('LambdaDocumentReader', () => {
  let server: Server;
  let requests: { headers: IncomingMessage['headers']; url: string; body: string }[];
  /** A fixed answer; by default the real handler answers. */
  let reply: { status: number; body: string; headers?: Record<string, string> } | undefined;

  beforeEach(async () => {
    requests = [];
    reply = undefined;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', async () => {
        requests.push({ headers: req.headers, url: req.url ?? '', body });
        const answer = reply ?? { status: 200, body: JSON.stringify(await readDocument(JSON.parse(body))) };
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const reader = () =>
    new LambdaDocumentReader({
      region: 'ap-southeast-1',
      functionName: 'baocao-document-reader',
      credentials: async () => CREDENTIALS,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    });

  it('invokes the function synchronously, signed, with the document in base64, and returns its text', async () => {
    reply = { status: 200, body: JSON.stringify({ text: 'KẾ HOẠCH\n' }) };
    const text = await reader().planText('pdf', PDF);
    expect(text).toBe('KẾ HOẠCH\n');
    const [request] = requests;
    expect(request?.url).toBe('/2015-03-31/functions/baocao-document-reader/invocations');
    expect(request?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/lambda\//,
    );
    const body = JSON.parse(request?.body ?? '{}');
    expect(body).toMatchObject({ read: 'plan-text', kind: 'pdf' });
    expect(Buffer.from(body.document, 'base64').equals(Buffer.from(PDF))).toBe(true);
  });

  it('reads a Word plan through the function as in-process', async () => {
    expect(await readPlanDocument(DOCX, 'ke-hoach.docx', reader())).toBe(
      await readPlanDocument(DOCX, 'ke-hoach.docx', inProcessDocumentReader),
    );
  });

  it("reads a workbook's units through the function as in-process, cell problems included", async () => {
    const bytes = await workbook([
      ['id', 'name', 'email'],
      ['cb-a', 'Chi bộ A', 'a@example.vn'],
      ['cb-b', { formula: 'A2&"x"', result: 'cb-ax' }, 'b@example.vn'],
    ]);
    const [remote, local] = await Promise.all([
      refusal(readUnitsXlsxRows(bytes, 'don-vi.xlsx', reader())),
      refusal(readUnitsXlsxRows(bytes, 'don-vi.xlsx', inProcessDocumentReader)),
    ]);
    expect(remote).toBeInstanceOf(CsvValidationError);
    expect((remote as unknown as CsvValidationError).errors).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('ô B3 chứa công thức (=A2&"x")') }),
    ]);
    expect((remote as unknown as CsvValidationError).errors).toEqual(
      (local as unknown as CsvValidationError).errors,
    );
    const good = await workbook([
      ['id', 'name', 'email'],
      ['cb-a', 'Chi bộ A', 'a@example.vn'],
    ]);
    expect(await readUnitsXlsxRows(good, 'don-vi.xlsx', reader())).toEqual(
      await readUnitsXlsxRows(good, 'don-vi.xlsx', inProcessDocumentReader),
    );
  });

  it('refuses a ZIP bomb named .docx through the function with the message of in-process', async () => {
    const bomb = await docxBomb(300);
    const [remote, local] = await Promise.all([
      refusal(readPlanDocument(bomb, 'bom.docx', reader())),
      refusal(readPlanDocument(bomb, 'bom.docx', inProcessDocumentReader)),
    ]);
    expect(remote).toBeInstanceOf(PlanDocumentError);
    expect(remote.userMessage).toContain('không hợp lệ hoặc quá lớn khi giải nén');
    expect(remote.userMessage).toBe(local.userMessage);
    expect(remote.message).toBe(local.message);
  });

  it("turns the function's problem into the same Vietnamese refusal as in-process", async () => {
    reply = { status: 200, body: JSON.stringify({ problem: 'no-text' }) };
    const error = await refusal(readPlanDocument(PDF, 'ban-chup.pdf', reader()));
    expect(error).toBeInstanceOf(PlanDocumentError);
    expect(error.userMessage).toContain('cần gõ lại hoặc nhận dạng chữ (OCR) trước');
  });

  it('refuses the document when the function failed (a crash, a timeout)', async () => {
    reply = {
      status: 200,
      body: '{"errorMessage":"Task timed out"}',
      headers: { 'x-amz-function-error': 'Unhandled' },
    };
    const pdf = await refusal(readPlanDocument(PDF, 'ke-hoach.pdf', reader()));
    expect(pdf).toBeInstanceOf(PlanDocumentError);
    expect(pdf.userMessage).toContain('không phải là tài liệu PDF hợp lệ');
    const sheet = await refusal(readUnitsXlsxRows(await workbook([['id']]), 'don-vi.xlsx', reader()));
    expect(sheet).toBeInstanceOf(CsvValidationError);
    expect(sheet.userMessage).toMatch(/^Tệp Excel \(\.xlsx\) không hợp lệ/);
  });

  it('refuses a Word document or a workbook where no reader is wired, with a way onward', async () => {
    const docx = await refusal(readPlanDocument(DOCX, 'ke-hoach.docx'));
    expect(docx.userMessage).toContain('hãy dùng tệp .txt hoặc lệnh baocao plan import');
    const sheet = await refusal(readUnitsXlsxRows(await workbook([['id']]), 'don-vi.xlsx'));
    expect((sheet as unknown as CsvValidationError).errors[0]?.message).toContain('"CSV UTF-8"');
    expect(requests).toEqual([]);
  });
});
