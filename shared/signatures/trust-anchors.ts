/**
 * Trust anchors: the root (or intermediate) CA certificates a signer's chain must reach. Read from
 * the files their publishers hand out — `.crt`/`.cer` (DER or PEM), `.pem` (one or more
 * certificates), `.p7b` (a PKCS#7 certificate bag, DER or PEM) — and kept as DER with a
 * description. The product ships none: see README "Chữ ký số: danh sách tin cậy".
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ValidationError } from '#shared/errors.ts';
import { checkDer } from './der.ts';
import type { TrustAnchor } from './ports.ts';
import { nameAttribute } from './verify-cms.ts';

/** Largest certificate file accepted (a national root bundle is a few KB). */
export const MAX_TRUST_FILE_BYTES = 1024 * 1024;
/** Most certificates taken from one file. */
export const MAX_CERTS_PER_FILE = 50;
/** Most anchors a trust store holds (each is checked against every chain). */
export const MAX_TRUST_ANCHORS = 200;

const SIGNED_DATA = '1.2.840.113549.1.7.2';

/** The certificates of a file (see the module comment). @throws ValidationError in Vietnamese. */
export function readCertificateFile(bytes: Uint8Array, fileName: string): Uint8Array[] {
  if (bytes.length > MAX_TRUST_FILE_BYTES) {
    throw new ValidationError(
      `${fileName}: larger than ${MAX_TRUST_FILE_BYTES} bytes`,
      [],
      `Tệp ${fileName} quá lớn để là chứng thư số (tối đa 1 MB).`,
    );
  }
  const text = Buffer.from(bytes).toString('latin1');
  const ders: Uint8Array[] = [];
  if (text.includes('-----BEGIN')) {
    for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]+)-----END \1-----/g)) {
      const der = new Uint8Array(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'));
      ders.push(...certificatesOf(der, fileName));
    }
  } else {
    ders.push(...certificatesOf(bytes, fileName));
  }
  if (ders.length === 0) throw unreadable(fileName);
  if (ders.length > MAX_CERTS_PER_FILE) {
    throw new ValidationError(
      `${fileName}: more than ${MAX_CERTS_PER_FILE} certificates`,
      [],
      `Tệp ${fileName} có quá ${MAX_CERTS_PER_FILE} chứng thư số.`,
    );
  }
  return ders;
}

/** A certificate, or the certificates of a PKCS#7 bag. */
function certificatesOf(der: Uint8Array, fileName: string): Uint8Array[] {
  const check = checkDer(der);
  if (!check.ok) throw unreadable(fileName);
  const asn1 = asn1js.fromBER(der.subarray(0, check.length));
  if (asn1.offset === -1) throw unreadable(fileName);
  try {
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType === SIGNED_DATA) {
      const signed = new pkijs.SignedData({ schema: info.content });
      return (signed.certificates ?? [])
        .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
        .map((c) => new Uint8Array(c.toSchema().toBER()));
    }
  } catch {
    // Not a PKCS#7 bag: a certificate itself, below.
  }
  try {
    const cert = new pkijs.Certificate({ schema: asn1.result });
    return [new Uint8Array(cert.toSchema(true).toBER())];
  } catch {
    throw unreadable(fileName);
  }
}

function unreadable(fileName: string): ValidationError {
  return new ValidationError(
    `${fileName}: no X.509 certificate found`,
    [],
    `Không đọc được chứng thư số trong tệp ${fileName} (cần .crt, .cer, .pem hoặc .p7b).`,
  );
}

/** A stored anchor from a certificate's DER. */
export function describeAnchor(der: Uint8Array, addedAt: string): TrustAnchor {
  const cert = parseCertificate(der);
  const subject =
    [nameAttribute(cert.subject, '2.5.4.3'), nameAttribute(cert.subject, '2.5.4.10')]
      .filter(Boolean)
      .join(', ') || '(không tên)';
  return {
    id: createHash('sha256').update(der).digest('hex'),
    der: Buffer.from(der).toString('base64'),
    subject,
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    addedAt,
  };
}

/** A pkijs certificate from DER (stored anchors were checked when added). */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new Uint8Array(der));
}

/** The anchors as pkijs certificates, for the verifier. */
export function anchorCertificates(anchors: readonly TrustAnchor[]): pkijs.Certificate[] {
  return anchors.map((a) => parseCertificate(new Uint8Array(Buffer.from(a.der, 'base64'))));
}
