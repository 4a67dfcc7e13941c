import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { type FileSignatureResult, REASONS } from '#shared/domain/signature-result.ts';
import type { ExportFile, ExportUnit } from '#shared/export/content.ts';
import { summaryCsvLine } from '#shared/export/csv.ts';
import { reportDocxStream } from '#shared/export/report-docx.ts';
import { SUMMARY_COLUMNS, summaryRow } from '#shared/export/summary-columns.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { collect } from '#test/support/zip.ts';
import { docxText } from '../export/docx-parts.ts';

const file = (uploadId: string, fileName: string, contentType = 'application/pdf'): ExportFile => ({
  uploadId,
  fileName,
  key: `reports/x/${uploadId}`,
  size: 10,
  contentType,
  sha256: uploadId.padEnd(64, '0'),
  receivedAt: '2026-12-10T03:00:00Z',
});

const result = (
  code: 'TOTAL_PASSED' | 'HASH_FAILURE',
  signerName: string,
  organization: string,
): FileSignatureResult => {
  const indication = code === 'TOTAL_PASSED' ? 'valid' : 'invalid';
  return {
    indication,
    code,
    reason: REASONS[code],
    signatures: [{ indication, code, reason: REASONS[code], signerName, organization }],
    checkedAt: '2026-12-10T03:00:05Z',
    verifierVersion: '1',
    trustStoreVersion: '2',
  };
};

/** A unit with a valid PDF, a tampered PDF, a PDF not checked yet and a Word file. */
function unit(): ExportUnit {
  return {
    ...sampleUnit('cb-a', 'Chi bộ A', 'on_time'),
    files: [
      file('1-a', 'a.pdf'),
      file('1-b', 'b.pdf'),
      file('1-c', 'c.pdf'),
      file('1-d', 'd.docx', 'application/msword'),
    ],
    signatures: {
      '1-a': result('TOTAL_PASSED', 'Nguyễn Văn Ánh', 'Chi bộ A; Văn phòng'),
      '1-b': result('HASH_FAILURE', '=HYPERLINK("x")', 'Công đoàn'),
    },
  };
}

describe('signatures in the exports', () => {
  it('appends per-file signers and indications to summary.csv, ;-joined in the order of the hashes', () => {
    const fields = summaryCsvLine(unit()).split(',');
    // Columns are appended after it (malware_scan, …): the signature column is found by name.
    const index = SUMMARY_COLUMNS.findIndex((c) => c.csv === 'signature') - SUMMARY_COLUMNS.length;

    expect(fields.at(index)).toBe('valid;invalid;pending;unsigned');
    // A ';' inside a name would split it across files: it becomes ','.
    expect(summaryCsvLine(unit())).toContain(
      `,"Nguyễn Văn Ánh (Chi bộ A, Văn phòng);=HYPERLINK(""x"") (Công đoàn);;",`,
    );
    // Names come from certificates: a field that starts like a formula is neutralised.
    const formulaFirst = { ...unit(), files: [file('1-b', 'b.pdf')] };
    expect(summaryCsvLine(formulaFirst)).toContain(`,"'=HYPERLINK(""x"") (Công đoàn)",invalid`);
  });

  it('gives the sheet Vietnamese labels, and the reason where a file is not valid', () => {
    const row = summaryRow(unit());
    const column = SUMMARY_COLUMNS.find((c) => c.csv === 'signature')!;

    expect(column.header).toBe('Chữ ký số');
    expect(column.cell(row, { day: () => 0, instant: () => 0 })).toBe(
      ['Hợp lệ', `Không hợp lệ: ${REASONS.HASH_FAILURE}`, 'Đang kiểm tra chữ ký số', 'Không ký số'].join(
        '\n',
      ),
    );
    expect(SUMMARY_COLUMNS.find((c) => c.csv === 'signed_by')).toMatchObject({
      header: 'Người ký số',
      freeText: true,
    });
  });

  it("names each unit's signers in the Word draft", async () => {
    const out = new PassThrough();
    const bytes = collect(out);
    await pipeline(reportDocxStream(sampleContent([unit()])), out);

    const text = await docxText(await bytes);

    expect(text).toContain('Ký số: Nguyễn Văn Ánh (Chi bộ A; Văn phòng) — Hợp lệ');
    expect(text).toContain('Ký số: =HYPERLINK("x") (Công đoàn) — Không hợp lệ');
  });
});
