import { readFile } from 'node:fs/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Grant, StatusJson, StatusVersion } from '#functions/web/browser/contract.ts';
import * as browser from '#functions/web/browser/format.ts';
import { UPLOAD_SCRIPT } from '#functions/web/upload-page.ts';
import {
  bundleUploadScript,
  UPLOAD_SCRIPT_MODULE,
  uploadScriptModule,
} from '#infra/bundling/upload-script.ts';
import { formatDateTimeVi } from '#shared/domain/calendar.ts';
import type { UploadGrant } from '#shared/uploads/request-upload.ts';
import type { UnitStatusView, VersionView } from '#shared/uploads/unit-status.ts';

describe('the upload page script (functions/web/browser/upload-page.ts, bundled)', () => {
  it('is the current bundle of its TypeScript source, as the generated module holds it', async () => {
    // Act
    const fresh = await bundleUploadScript();
    // Assess: what the page inlines is what the source builds to (vitest's globalSetup built it),
    // and the file is byte for byte what a rebuild would write, so a rebuild leaves it alone.
    expect(UPLOAD_SCRIPT).toBe(fresh);
    await expect(readFile(UPLOAD_SCRIPT_MODULE, 'utf8')).resolves.toBe(uploadScriptModule(fresh));
  });

  it('is one minified strict-mode IIFE, with no module syntax and no source map', () => {
    expect(UPLOAD_SCRIPT).toMatch(/^"use strict";\(\(\)=>\{[\s\S]*\}\)\(\);$/);
    expect(UPLOAD_SCRIPT).not.toMatch(/^\s*(import|export)\s|sourceMappingURL|\n/m);
    // About 6 KB; the hand-written template string it replaced was 10 KB.
    expect(Buffer.byteLength(UPLOAD_SCRIPT)).toBeLessThan(8 * 1024);
  });

  it('keeps the Vietnamese text as UTF-8, as the page and its CSP hash see it', () => {
    expect(UPLOAD_SCRIPT).toContain('Biên nhận lần nộp số ');
    expect(UPLOAD_SCRIPT).not.toMatch(/\\u[0-9a-f]{4}/i);
  });
});

describe('the upload page script writes times as the server page does', () => {
  it.each([
    ['2026-12-17T02:05:00.000Z', 'Asia/Ho_Chi_Minh'],
    ['2026-12-31T16:59:59.000Z', 'Asia/Ho_Chi_Minh'],
    ['2026-12-31T17:00:00.000Z', 'Asia/Ho_Chi_Minh'],
    ['2027-01-01T00:00:00.000Z', 'UTC'],
    ['2026-03-29T01:30:00.000Z', 'Europe/Paris'],
  ])('formats %s in %s like formatDateTimeVi', (iso, timeZone) => {
    expect(browser.formatDateTime(iso, timeZone)).toBe(formatDateTimeVi(iso, timeZone));
  });

  it('takes the extension after the last dot, lower-case', () => {
    expect(browser.extensionOf('Báo cáo.năm.PDF')).toBe('pdf');
    expect(browser.extensionOf('khong-duoi')).toBe('');
  });
});

describe('the JSON the script reads (functions/web/browser/contract.ts)', () => {
  it('is a part of what the server answers (checked by the type checker)', () => {
    expectTypeOf<UnitStatusView>().toExtend<StatusJson>();
    expectTypeOf<VersionView>().toExtend<StatusVersion>();
    expectTypeOf<UploadGrant>().toExtend<Grant>();
  });
});
