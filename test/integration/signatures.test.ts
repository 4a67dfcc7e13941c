import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createSignatureDeps, createTrustStore } from '#functions/wiring/create-signature-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import type { Assignment } from '#shared/domain/period.ts';
import type { FileSignatureResult } from '#shared/domain/signature-result.ts';
import { collectPackContent } from '#shared/export/content.ts';
import { summaryCsvChunks } from '#shared/export/csv.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { recheckPeriod } from '#shared/signatures/recheck.ts';
import { addTrustAnchors, listTrustAnchors, removeTrustAnchor } from '#shared/signatures/trust.ts';
import { importUnits } from '#shared/units/units.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { unitStatus } from '#shared/uploads/unit-status.ts';
import { fixedClock, startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { signIn } from '#test/support/sign-in.ts';
import { makeCa, makePdf, makeSigner, signPdf, type TestCa } from '#test/support/signatures/test-pki.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const YEAR = 2026;
const DAY = 86_400_000;

/** Each case's unit, the file it uploads, and what the committee should read. */
const CASES = {
  'cb-valid': { indication: 'valid', code: 'TOTAL_PASSED', signer: 'Nguyễn Văn Ánh (Chi bộ Văn phòng Sở)' },
  'cb-unknown': {
    indication: 'indeterminate',
    code: 'NO_CERTIFICATE_CHAIN_FOUND',
    signer: 'Trần Thị Bình (Công đoàn cơ sở)',
  },
  'cb-tampered': {
    indication: 'invalid',
    code: 'HASH_FAILURE',
    signer: 'Nguyễn Văn Ánh (Chi bộ Văn phòng Sở)',
  },
  'cb-appended': {
    indication: 'indeterminate',
    code: 'MODIFIED_AFTER_SIGNING',
    signer: 'Nguyễn Văn Ánh (Chi bộ Văn phòng Sở)',
  },
  'cb-expired': {
    indication: 'indeterminate',
    code: 'OUT_OF_BOUNDS_NOT_REVOKED',
    signer: 'Lê Văn Cường (Chi bộ Thanh tra)',
  },
  'cb-two': {
    indication: 'indeterminate',
    code: 'NO_CERTIFICATE_CHAIN_FOUND',
    signer: 'Nguyễn Văn Ánh (Chi bộ Văn phòng Sở); Trần Thị Bình (Công đoàn cơ sở)',
  },
  'cb-malformed': { indication: 'invalid', code: 'FORMAT_FAILURE', signer: '' },
  'cb-unsigned': { indication: 'unsigned', code: 'NO_SIGNATURE', signer: '' },
} as const;
type UnitId = keyof typeof CASES;

/**
 * Digital signatures end to end on the local stack: a unit uploads a PDF, the on-upload handler
 * records it and queues it, the verifier handler (behind the in-process signatures queue) checks
 * it against the trust store in DynamoDB and keeps the result with the version; the receipt page's
 * data, the summary.csv and a re-check against a changed trust store show it.
 */
describe('digital signatures on uploaded PDFs (local stack)', () => {
  let stack: TestStack;
  let uploads: UploadDeps;
  let ca: TestCa;
  const clock = fixedClock('2026-12-01T03:00:00Z');
  const files = new Map<UnitId, Buffer>();

  beforeAll(async () => {
    stack = await startTestStack({ clock });
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(
      stack.deps,
      ['id,name,email', ...Object.keys(CASES).map((id) => `${id},Chi bộ ${id},${id}@example.org`)].join('\n'),
    );
    await openPeriod(stack.deps, { planId: PLAN, year: YEAR });
    uploads = createUploadDeps(stack.runtime, { clock });

    // The test PKI, made now: nothing of it is in the repository.
    ca = makeCa('Baocao Test Root CA');
    const signer = makeSigner(ca, { name: 'Nguyễn Văn Ánh', organization: 'Chi bộ Văn phòng Sở' });
    const stranger = makeSigner(makeCa('Unknown Test CA'), {
      name: 'Trần Thị Bình',
      organization: 'Công đoàn cơ sở',
    });
    const expired = makeSigner(
      ca,
      { name: 'Lê Văn Cường', organization: 'Chi bộ Thanh tra' },
      { from: new Date(Date.now() - 400 * DAY), to: new Date(Date.now() - DAY) },
    );
    await addTrustAnchors({ trust: createTrustStore(stack.runtime), clock }, Buffer.from(ca.pem), 'root.pem');

    const plain = await makePdf();
    const signed = await signPdf(plain, signer);
    const tampered = Buffer.from(signed);
    tampered[tampered.indexOf('/Type /Page') + 2]! ^= 0x01;
    const malformed = Buffer.from(signed);
    malformed.write('zz', malformed.indexOf('/Contents <') + '/Contents <'.length, 'latin1');
    files.set('cb-valid', signed);
    files.set('cb-unknown', await signPdf(plain, stranger));
    files.set('cb-tampered', tampered);
    files.set('cb-appended', Buffer.concat([signed, Buffer.from('\n% added after signing\n')]));
    files.set('cb-expired', await signPdf(plain, expired));
    files.set('cb-two', await signPdf(signed, stranger));
    files.set('cb-malformed', malformed);
    files.set('cb-unsigned', plain);

    for (const [unitId, bytes] of files) await upload(unitId, bytes);
    for (const unitId of files.keys()) await resultOf(unitId);
    await stack.mailQueue.drain();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function upload(unitId: UnitId, bytes: Buffer): Promise<void> {
    const { token } = await linkFor(uploads, PLAN, YEAR, unitId);
    const grant = await requestUpload(uploads, token, {
      fileName: 'Báo cáo năm 2026.pdf',
      contentType: 'application/pdf',
      size: bytes.length,
      fileCount: 1,
    });
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'x');
    const res = await fetch(grant.url, { method: 'POST', body: form });
    expect(res.status).toBeLessThan(300);
  }

  async function assignment(unitId: string): Promise<Assignment> {
    return (await stack.deps.submissions.getAssignment(PLAN, YEAR, unitId))!;
  }

  /** The result of the unit's one file, once the verifier has kept it. */
  async function resultOf(unitId: string): Promise<FileSignatureResult> {
    return eventually(async () => {
      const a = await assignment(unitId);
      const file = a.files[0];
      return file ? a.signatures?.[file.uploadId] : undefined;
    }, 30_000);
  }

  it("keeps each case's indication, reason and signer with the version, and with the trust store version", async () => {
    for (const [unitId, expected] of Object.entries(CASES)) {
      const result = await resultOf(unitId);
      expect({ unitId, indication: result.indication, code: result.code }).toStrictEqual({
        unitId,
        indication: expected.indication,
        code: expected.code,
      });
      expect(result.reason.length).toBeGreaterThan(10);
      expect(result.verifierVersion).toBe('1');
      expect(Number(result.trustStoreVersion)).toBeGreaterThanOrEqual(1);
    }
    expect((await resultOf('cb-two')).signatures.map((s) => s.code)).toEqual([
      'TOTAL_PASSED',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ]);
  });

  it("shows the result and the signer on the unit's receipt (status page data)", async () => {
    const view = async (unitId: UnitId) => {
      const { token } = await linkFor(uploads, PLAN, YEAR, unitId);
      return (await unitStatus(uploads, token)).versions[0]!.files[0]!.signature;
    };

    expect(await view('cb-valid')).toStrictEqual({
      state: 'valid',
      label: 'Hợp lệ',
      reason: expect.stringContaining('Chữ ký đúng'),
      signedBy: 'Nguyễn Văn Ánh (Chi bộ Văn phòng Sở)',
    });
    expect(await view('cb-tampered')).toMatchObject({
      state: 'invalid',
      label: 'Không hợp lệ',
      reason: 'Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).',
    });
    expect(await view('cb-unsigned')).toMatchObject({
      state: 'unsigned',
      label: 'Không ký số',
      signedBy: '',
    });
  });

  it('appends signed_by and signature to summary.csv, after the contract columns', async () => {
    const content = await collectPackContent(createExportDeps(stack.runtime), PLAN, YEAR);
    const lines = [...summaryCsvChunks(content.units)]
      .join('')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');

    // …and the malware scan after them (docs/malware-scanning.md).
    expect(lines[0]).toBe(
      'unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256,signed_by,signature,malware_scan',
    );
    const byUnit = new Map(lines.slice(1).map((l) => [l.split(',')[0]!, l]));
    for (const [unitId, expected] of Object.entries(CASES)) {
      const line = byUnit.get(unitId)!;
      expect(line.replace(/,[^,]*$/, '').endsWith(`,${expected.indication}`), line).toBe(true);
      // Within one file, signers are joined with ", " (";" separates the files).
      expect(line).toContain(expected.signer.replaceAll('; ', ', '));
    }
  });

  it('shows a badge per file on the period and unit pages, and re-checks a unit from its page', async () => {
    const session = await signIn(stack, 'vanphong@demo.baocao.example');
    const get = async (path: string) =>
      (await fetch(`${stack.appUrl}${path}`, { headers: { Cookie: session.cookie } })).text();
    const post = (path: string, init: { json?: boolean; csrf?: string | null } = {}) =>
      fetch(`${stack.appUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          Cookie: session.cookie,
          'Content-Type': init.json ? 'application/json' : 'application/x-www-form-urlencoded',
          ...(init.json && init.csrf !== null ? { 'X-CSRF-Token': session.csrf } : {}),
        },
        body: init.json
          ? '{}'
          : new URLSearchParams({ csrf: init.csrf === null ? '' : session.csrf, from: 'unit' }).toString(),
      });

    const period = await get(`/admin/plans/${PLAN}/${YEAR}`);
    expect(period).toContain(
      'data-signature="valid">Chữ ký số: Hợp lệ</span> — <span class="signer">Nguyễn Văn Ánh (Chi bộ Văn phòng Sở)</span>',
    );
    expect(period).toContain('data-signature="invalid">Chữ ký số: Không hợp lệ');
    expect(period).toContain('data-signature="unsigned">Chữ ký số: Không ký số');
    const unit = await get(`/admin/plans/${PLAN}/${YEAR}/units/cb-tampered`);
    expect(unit).toContain('Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).');
    expect(unit).toContain('aria-label="Kiểm tra lại chữ ký số các tệp của Chi bộ cb-tampered"');

    const api = await post(`/api/plans/${PLAN}/periods/${YEAR}/units/cb-valid/signatures/recheck`, {
      json: true,
    });
    const forged = await post(`/api/plans/${PLAN}/periods/${YEAR}/units/cb-valid/signatures/recheck`, {
      json: true,
      csrf: null,
    });
    const form = await post(`/admin/plans/${PLAN}/${YEAR}/units/cb-tampered/signatures/recheck`);
    const none = await post(`/api/plans/${PLAN}/periods/${YEAR}/units/khong-co/signatures/recheck`, {
      json: true,
    });
    await stack.signatureQueue.drain();

    expect(api.status).toBe(202);
    expect(await api.json()).toEqual({ unitId: 'cb-valid', queued: 1 });
    expect(forged.status).toBe(403);
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(
      `/admin/plans/${PLAN}/${YEAR}/units/cb-tampered?done=signatures-rechecked`,
    );
    expect(await none.json()).toEqual({ unitId: 'khong-co', queued: 0 });
    expect((await resultOf('cb-tampered')).code).toBe('HASH_FAILURE');
  });

  it("checks the period again against today's trust store: the CA removed, the valid file becomes undetermined", async () => {
    const deps = createSignatureDeps(stack.runtime);
    const trust = { trust: createTrustStore(stack.runtime) };
    const [anchor] = (await listTrustAnchors(trust)).anchors;
    await removeTrustAnchor(trust, anchor!.id.slice(0, 12));

    const rechecked = await recheckPeriod(deps, PLAN, YEAR);

    expect(rechecked).toHaveLength(Object.keys(CASES).length);
    const valid = await assignment('cb-valid');
    const result = valid.signatures![valid.files[0]!.uploadId]!;
    expect(result.code).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(Number(result.trustStoreVersion)).toBeGreaterThan(1);
  });
});
