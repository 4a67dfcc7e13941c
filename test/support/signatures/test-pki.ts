/**
 * A test PKI made at run time (nothing of it is committed): a CA with an ASCII name (see NOTES:
 * a non-ASCII CA name breaks @signpdf's SignerInfo), signers with Vietnamese names as
 * UTF8String, PKCS#12 files, and PDFs signed with @signpdf (the library a real tool would use).
 */
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import * as signpdfModule from '@signpdf/signpdf';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const { pki, asn1 } = forge;

export interface TestCa {
  name: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  /** PEM of the CA certificate (what `baocao trust add` takes). */
  pem: string;
}

export interface TestSigner {
  name: string;
  organization: string;
  p12: Buffer;
  cert: forge.pki.Certificate;
}

/** 1024-bit keys: fast to make, enough for tests (the verifier does not judge key sizes). */
const KEY_BITS = 1024;

function keys(): forge.pki.rsa.KeyPair {
  return pki.rsa.generateKeyPair({ bits: KEY_BITS, e: 0x10001 });
}

let serial = 1;
/**
 * A positive serial in minimal DER (first byte 0x10..0x7f): forge re-encodes certificates when it
 * writes the CMS, and a non-minimal serial would change the signed bytes of the certificate.
 */
function nextSerial(): string {
  serial += 1;
  return `1${serial.toString(16).padStart(7, '0')}`;
}

/** A self-signed CA, valid from a year ago for ten years (or as given). */
export function makeCa(name: string, validity: { from?: Date; to?: Date } = {}): TestCa {
  const pair = keys();
  const cert = pki.createCertificate();
  cert.publicKey = pair.publicKey;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = validity.from ?? new Date(Date.now() - 365 * 86_400_000);
  cert.validity.notAfter = validity.to ?? new Date(Date.now() + 10 * 365 * 86_400_000);
  const attrs = [
    { shortName: 'CN', value: name },
    { shortName: 'O', value: 'Baocao Test PKI' },
    { shortName: 'C', value: 'VN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(pair.privateKey, forge.md.sha256.create());
  return { name, cert, key: pair.privateKey, pem: pki.certificateToPem(cert) };
}

/** A signer certificate issued by `ca` with UTF8String names, packed as a PKCS#12 with its key. */
export function makeSigner(
  ca: TestCa,
  who: { name: string; organization: string },
  validity: { from?: Date; to?: Date } = {},
): TestSigner {
  const pair = keys();
  const cert = pki.createCertificate();
  cert.publicKey = pair.publicKey;
  cert.serialNumber = nextSerial();
  cert.validity.notBefore = validity.from ?? new Date(Date.now() - 30 * 86_400_000);
  cert.validity.notAfter = validity.to ?? new Date(Date.now() + 2 * 365 * 86_400_000);
  // node-forge writes non-ASCII names wrongly unless each attribute says UTF8String.
  cert.setSubject([
    {
      shortName: 'CN',
      value: who.name,
      valueTagClass: asn1.Type.UTF8,
    } as unknown as forge.pki.CertificateField,
    {
      shortName: 'O',
      value: who.organization,
      valueTagClass: asn1.Type.UTF8,
    } as unknown as forge.pki.CertificateField,
    { shortName: 'C', value: 'VN' },
  ]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(pair.privateKey, [cert, ca.cert], '', { algorithm: '3des' });
  return { ...who, p12: Buffer.from(asn1.toDer(p12).getBytes(), 'binary'), cert };
}

/** A small one-page PDF with some text. */
export async function makePdf(text = 'Báo cáo kết quả thực hiện Kế hoạch'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  // Helvetica has no Vietnamese glyphs: the page text stays ASCII.
  page.drawText(text.normalize('NFD').replace(/[^\x20-\x7e]/g, ''), { x: 50, y: 780, size: 14, font });
  // useObjectStreams: false keeps a classic xref, which the plain placeholder can extend.
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const signer = () => {
  const mod = signpdfModule as unknown as {
    SignPdf?: new () => SignPdfLike;
    default?: { SignPdf: new () => SignPdfLike };
  };
  const SignPdf = mod.SignPdf ?? mod.default!.SignPdf;
  return new SignPdf();
};
interface SignPdfLike {
  sign(pdf: Buffer, signer: P12Signer): Promise<Buffer>;
}

/**
 * Signs `pdf` with `who` as an incremental update (so a signed PDF can be signed again).
 * `signatureLength` is the placeholder's size in bytes.
 */
export async function signPdf(pdf: Buffer, who: TestSigner, signatureLength = 8192): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: 'Ký duyệt báo cáo',
    contactInfo: 'vanphong@example.org',
    name: who.name,
    location: 'Hà Nội',
    signatureLength,
  });
  return signer().sign(withPlaceholder, new P12Signer(who.p12));
}

/** The PEM of a certificate (e.g. to give `baocao trust add` a signer's issuer). */
export function toPem(cert: forge.pki.Certificate): string {
  return pki.certificateToPem(cert);
}

/** The DER bytes of a certificate. */
export function toDer(cert: forge.pki.Certificate): Buffer {
  return Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
}
