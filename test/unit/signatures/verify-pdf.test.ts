import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as pkijs from 'pkijs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDICATION_LABELS } from '#shared/domain/signature-result.ts';
import { findSignatures, MAX_SIGNATURES } from '#shared/signatures/pdf-signatures.ts';
import { anchorCertificates, describeAnchor, readCertificateFile } from '#shared/signatures/trust-anchors.ts';
import { verifyPdf } from '#shared/signatures/verify-pdf.ts';
import {
  makeCa,
  makePdf,
  makeSigner,
  signPdf,
  type TestCa,
  type TestSigner,
} from '#test/support/signatures/test-pki.ts';

const DAY = 86_400_000;

let ca: TestCa;
let anchors: pkijs.Certificate[];
let signer: TestSigner;
let stranger: TestSigner;
let expired: TestSigner;
let plain: Buffer;
let signed: Buffer;

const verify = (bytes: Uint8Array, trusted = anchors) =>
  verifyPdf(bytes, { anchors: trusted, trustStoreVersion: '3', now: new Date() });

beforeAll(async () => {
  ca = makeCa('Baocao Test Root CA');
  anchors = anchorCertificates(
    readCertificateFile(Buffer.from(ca.pem), 'ca.pem').map((d) => describeAnchor(d, 'x')),
  );
  signer = makeSigner(ca, { name: 'Nguyễn Văn Ánh', organization: 'Chi bộ Văn phòng Sở' });
  stranger = makeSigner(makeCa('Unknown Test CA'), {
    name: 'Trần Thị Bình',
    organization: 'Công đoàn cơ sở',
  });
  expired = makeSigner(
    ca,
    { name: 'Lê Văn Cường', organization: 'Chi bộ Thanh tra' },
    { from: new Date(Date.now() - 400 * DAY), to: new Date(Date.now() - DAY) },
  );
  plain = await makePdf();
  signed = await signPdf(plain, signer);
});

/** The position of the first /Contents hex string's first digit in a signed PDF. */
function contentsStart(pdf: Buffer, nth = 0): number {
  const found = findSignatures(pdf);
  if (found.kind !== 'signatures') throw new Error('no signatures');
  const sig = found.signatures[nth]!;
  if (!('byteRange' in sig)) throw new Error('malformed');
  return sig.byteRange[1] + 1;
}

describe('verifyPdf', () => {
  it('passes a PDF signed by a trusted CA and names the signer in Vietnamese', async () => {
    const result = await verify(signed);

    expect(result).toMatchObject({
      indication: 'valid',
      code: 'TOTAL_PASSED',
      trustStoreVersion: '3',
      verifierVersion: '1',
    });
    expect(result.signatures).toHaveLength(1);
    expect(result.signatures[0]).toMatchObject({
      signerName: 'Nguyễn Văn Ánh',
      organization: 'Chi bộ Văn phòng Sở',
      issuer: 'Baocao Test Root CA',
      timeProven: false,
      coversWholeFile: true,
    });
    expect(Date.parse(result.signatures[0]!.signingTime!)).toBeGreaterThan(Date.now() - DAY);
    expect(INDICATION_LABELS[result.indication]).toBe('Hợp lệ');
  });

  it('leaves a signer of an unknown CA undetermined, intact but not trusted', async () => {
    const result = await verify(await signPdf(plain, stranger));

    expect(result).toMatchObject({ indication: 'indeterminate', code: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(result.reason).toContain('không do tổ chức chứng thực nào trong danh sách tin cậy cấp');
    expect(result.signatures[0]).toMatchObject({ signerName: 'Trần Thị Bình', issuer: 'Unknown Test CA' });
  });

  it('leaves every signature undetermined when the trust store is empty', async () => {
    const result = await verify(signed, []);

    expect(result.code).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('fails a file with one byte changed inside the signed range', async () => {
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('/Type /Page') + 2;
    tampered[at]! ^= 0x01;

    const result = await verify(tampered);

    expect(result).toMatchObject({ indication: 'invalid', code: 'HASH_FAILURE' });
    expect(result.reason).toBe('Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).');
  });

  it('tells bytes appended after signing from a change', async () => {
    const appended = Buffer.concat([signed, Buffer.from('\n1 0 obj\n<< /Evil true >>\nendobj\n')]);

    const result = await verify(appended);

    expect(result).toMatchObject({ indication: 'indeterminate', code: 'MODIFIED_AFTER_SIGNING' });
    expect(result.signatures[0]).toMatchObject({ coversWholeFile: false, signerName: 'Nguyễn Văn Ánh' });
  });

  it('leaves a certificate expired at the signing time undetermined', async () => {
    const result = await verify(await signPdf(plain, expired));

    expect(result).toMatchObject({ indication: 'indeterminate', code: 'OUT_OF_BOUNDS_NOT_REVOKED' });
    expect(result.signatures[0]?.signerName).toBe('Lê Văn Cường');
  });

  it('checks two signatures apart: a trusted first one and an unknown second one', async () => {
    const twice = await signPdf(signed, stranger);

    const result = await verify(twice);

    expect(result.signatures.map((s) => [s.code, s.signerName, s.coversWholeFile])).toEqual([
      ['TOTAL_PASSED', 'Nguyễn Văn Ánh', false],
      ['NO_CERTIFICATE_CHAIN_FOUND', 'Trần Thị Bình', true],
    ]);
    expect(result.indication).toBe('indeterminate');
  });

  it('fails a file whose second signature was damaged while the first stays valid', async () => {
    const twice = Buffer.from(await signPdf(signed, signer));
    // The signature value ends the DER; the hex after it is zero padding. Change its last byte.
    const start = contentsStart(twice, 1);
    const sigs = findSignatures(twice);
    if (sigs.kind !== 'signatures' || !('contents' in sigs.signatures[1]!)) throw new Error('unexpected');
    const der = sigs.signatures[1]!.contents;
    let end = der.length;
    while (end > 0 && der[end - 1] === 0) end--;
    const digit = start + 2 * (end - 1);
    twice[digit] = twice[digit] === 0x31 ? 0x32 : 0x31;

    const result = await verify(twice);

    expect(result.signatures.map((s) => s.code)).toEqual(['TOTAL_PASSED', 'SIG_CRYPTO_FAILURE']);
    expect(result).toMatchObject({ indication: 'invalid', code: 'SIG_CRYPTO_FAILURE' });
  });

  it('fails a signature whose /Contents is not a CMS', async () => {
    const broken = Buffer.from(signed);
    const start = contentsStart(broken);
    broken.write('3003020101', start, 'latin1');

    expect(await verify(broken)).toMatchObject({ indication: 'invalid', code: 'FORMAT_FAILURE' });
  });

  it('fails a /Contents that is not hex', async () => {
    const broken = Buffer.from(signed);
    broken.write('zz', contentsStart(broken), 'latin1');

    expect(await verify(broken)).toMatchObject({ indication: 'invalid', code: 'FORMAT_FAILURE' });
  });

  it('calls an unsigned PDF and any other file "Không ký số"', async () => {
    const unsigned = await verify(plain);
    const other = await verify(Buffer.from('PK\u0003\u0004 not a pdf'));

    expect(unsigned).toMatchObject({ indication: 'unsigned', code: 'NO_SIGNATURE', signatures: [] });
    expect(other.indication).toBe('unsigned');
    expect(INDICATION_LABELS.unsigned).toBe('Không ký số');
  });

  describe('a second opinion from poppler', () => {
    const hasPdfsig = existsSync('/usr/bin/pdfsig');
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'baocao-pdfsig-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const pdfsig = (bytes: Buffer): string => {
      const file = join(dir, `f${Math.random().toString(16).slice(2)}.pdf`);
      writeFileSync(file, bytes);
      try {
        return execFileSync('pdfsig', [file], { encoding: 'utf8' });
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? '');
      }
    };

    it.skipIf(!hasPdfsig)('agrees that the signed PDF is intact and a tampered one is not', async () => {
      const tampered = Buffer.from(signed);
      tampered[tampered.indexOf('/Type /Page') + 2]! ^= 0x01;

      expect(pdfsig(signed)).toContain('Signature is Valid');
      expect((await verify(signed)).signatures[0]?.code).toBe('TOTAL_PASSED');
      expect(pdfsig(tampered)).not.toContain('Signature is Valid');
      expect((await verify(tampered)).code).toBe('HASH_FAILURE');
    });
  });
});

/** A minimal file with one signature dictionary whose ByteRange and /Contents are as given. */
function craftedPdf(byteRange: string, contents: string, tail = '\ntrailer\n%%EOF\n'): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ${byteRange} /Contents ${contents} >>\nendobj${tail}`,
    'latin1',
  );
}

/** A file whose ByteRange matches its /Contents gap exactly, with `hex` inside the brackets. */
function consistentPdf(hex: string): Buffer {
  // Fixed-width numbers so the offsets do not move when they are written in.
  const placeholder = '[0 0000000000 0000000000 0000000000]';
  const draft = craftedPdf(placeholder, `<${hex}>`);
  const lt = draft.indexOf('/Contents <') + '/Contents '.length;
  const gt = lt + hex.length + 2;
  const range = `[0 ${String(lt).padStart(10, '0')} ${String(gt).padStart(10, '0')} ${String(draft.length - gt).padStart(10, '0')}]`;
  return Buffer.from(draft.toString('latin1').replace(placeholder, range), 'latin1');
}

describe('verifyPdf on hostile files', () => {
  it('refuses a huge /Contents without decoding it', async () => {
    const pdf = consistentPdf('0'.repeat(3 * 1024 * 1024));

    const result = await verify(pdf);

    expect(result).toMatchObject({ indication: 'invalid', code: 'SIGNATURE_TOO_LARGE' });
  });

  it('refuses a ByteRange that points outside the file', async () => {
    const result = await verify(craftedPdf('[0 100 200 999999999]', '<3000>'));

    expect(result).toMatchObject({ indication: 'invalid', code: 'BYTE_RANGE_INVALID' });
    expect(result.reason).toBe('Vùng dữ liệu được ký (ByteRange) không hợp lệ hoặc nằm ngoài tệp.');
  });

  it('refuses a ByteRange whose gap is not the /Contents string', async () => {
    expect((await verify(craftedPdf('[0 10 40 20]', '<3000>'))).code).toBe('BYTE_RANGE_INVALID');
  });

  it('refuses a ByteRange that does not start at 0, or an unfilled placeholder', async () => {
    expect((await verify(craftedPdf('[5 10 40 20]', '<3000>'))).code).toBe('BYTE_RANGE_INVALID');
    expect((await verify(craftedPdf('[0 /********** /********** /**********]', '<3000>'))).code).toBe(
      'BYTE_RANGE_INVALID',
    );
  });

  it('refuses a CMS nested deeper than any real one, without recursing into it', async () => {
    // 100,000 levels of indefinite-length SEQUENCEs: 30 80 30 80 …
    const nested = '3080'.repeat(100_000) + '0000'.repeat(100_000);

    const result = await verify(consistentPdf(nested));

    expect(result).toMatchObject({ indication: 'invalid', code: 'FORMAT_FAILURE' });
  });

  it('refuses a CMS whose lengths run past its end', async () => {
    expect((await verify(consistentPdf('3084ffffffff3000'))).code).toBe('FORMAT_FAILURE');
  });

  it(`stops at ${MAX_SIGNATURES} signatures`, async () => {
    const one = '<< /ByteRange [0 1 2 3] /Contents <00> >>\n';
    const pdf = Buffer.from(
      `%PDF-1.7\n${Array.from({ length: MAX_SIGNATURES + 1 }, (_, i) => one.replace('3]', `${i + 3}]`)).join('')}`,
    );

    expect(await verify(pdf)).toMatchObject({ indication: 'invalid', code: 'TOO_MANY_SIGNATURES' });
  });

  it('does not treat binary noise as a PDF', async () => {
    const noise = Buffer.alloc(64 * 1024, 0xff);

    expect((await verify(noise)).indication).toBe('unsigned');
  });
});
