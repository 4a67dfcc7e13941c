/**
 * Checks one PDF signature's CMS SignedData (pkijs + asn1js). Integrity and trust are checked
 * apart, so that "changed after signing" is told from "unknown signer": pkijs's own
 * `SignedData.verify` builds the chain first and throws on an untrusted one. The message digest
 * is computed with node:crypto straight over the two signed ranges (no copy of the file), then
 * the signer's signature over the signed attributes is checked, then the chain is built to the
 * trust anchors at the signing time, then the certificate's validity at that time. The common
 * signature is decided first without pkijs objects (fast-cms.ts, node:crypto); whatever that path
 * leaves undecided is decided here, as before.
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { conclusion, MAX_NAME_CHARS, type SignatureCheck } from '#shared/domain/signature-result.ts';
import { checkDer } from './der.ts';
import { type FastCert, fastAnchor, verifyCmsFast } from './fast-cms.ts';
import type { PdfSignature } from './pdf-signatures.ts';

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

/** Digest algorithms by OID, as node:crypto names them. */
const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** SubFilters whose /Contents is a detached CMS over the byte ranges. */
const DETACHED = new Set(['adbe.pkcs7.detached', 'ETSI.CAdES.detached']);

/** What the CMS check needs besides the signature: the file and the trust anchors. */
export interface CmsContext {
  pdf: Uint8Array;
  anchors: readonly pkijs.Certificate[];
  /** Used as the signing time when the signature claims none. */
  now: Date;
  /** Skip the fast path (fast-cms.ts) and decide with pkijs alone: tests compare the two. */
  pkijsOnly?: boolean;
}

/** Checks one well-formed signature field; never throws (a failure is a result). */
export async function verifyCms(sig: PdfSignature, ctx: CmsContext): Promise<SignatureCheck> {
  const coversWholeFile = sig.coversWholeFile;
  if (sig.subFilter !== undefined && !DETACHED.has(sig.subFilter)) {
    return conclusion('UNSUPPORTED_FORMAT', { coversWholeFile });
  }
  const der = checkDer(sig.contents);
  if (!der.ok) return conclusion('FORMAT_FAILURE', { coversWholeFile });
  // Zero padding after the DER is normal; anything else there is not.
  if (sig.contents.subarray(der.length).some((b) => b !== 0))
    return conclusion('FORMAT_FAILURE', { coversWholeFile });

  // The common case, without pkijs objects (fast-cms.ts); anything else is decided below.
  const fast =
    !ctx.pkijsOnly &&
    verifyCmsFast(sig.contents.subarray(0, der.length), {
      pdf: ctx.pdf,
      byteRange: sig.byteRange,
      coversWholeFile,
      anchors: fastAnchors(ctx.anchors),
      now: ctx.now,
    });
  if (fast) return fast;

  let signed: pkijs.SignedData;
  let signerInfo: pkijs.SignerInfo;
  try {
    const asn1 = asn1js.fromBER(sig.contents.subarray(0, der.length));
    if (asn1.offset === -1) return conclusion('FORMAT_FAILURE', { coversWholeFile });
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID.signedData) return conclusion('FORMAT_FAILURE', { coversWholeFile });
    signed = new pkijs.SignedData({ schema: info.content });
    // A PDF signature has exactly one signer (ISO 32000-2 §12.8.3.3).
    if (signed.signerInfos.length !== 1 || signed.encapContentInfo.eContent) {
      return conclusion('FORMAT_FAILURE', { coversWholeFile });
    }
    signerInfo = signed.signerInfos[0]!;
  } catch {
    return conclusion('FORMAT_FAILURE', { coversWholeFile });
  }

  const signer = findSignerCertificate(signed, signerInfo);
  if (!signer) return conclusion('SIGNER_CERTIFICATE_NOT_FOUND', { coversWholeFile });
  const who = describeSigner(signer);
  const claimed = signingTimeOf(signerInfo);

  // 1. Integrity: the digest of the signed bytes, then the signature over the signed attributes.
  const hashName = DIGESTS[signerInfo.digestAlgorithm.algorithmId];
  if (!hashName) return conclusion('UNSUPPORTED_FORMAT', { ...who, coversWholeFile });
  const integrity = await checkIntegrity(sig, ctx.pdf, signerInfo, signer, hashName);
  if (integrity !== 'ok') return conclusion(integrity, { ...who, coversWholeFile });

  // 2. The signing time: proven by a timestamp token that checks out and chains to an anchor.
  const stamped = await timestampTime(signerInfo, ctx.anchors);
  const signingTime = stamped ?? claimed;
  const timeFields = {
    ...(signingTime ? { signingTime: signingTime.toISOString() } : {}),
    timeProven: stamped !== undefined,
  };
  const at = signingTime ?? ctx.now;
  const base = { ...who, ...timeFields, coversWholeFile };

  // 3. The certificate at that time, then the chain to a trust anchor.
  if (at < signer.notBefore.value || at > signer.notAfter.value) {
    return conclusion('OUT_OF_BOUNDS_NOT_REVOKED', base);
  }
  if (!(await chainsToAnchor(signed, signer, ctx.anchors, at)))
    return conclusion('NO_CERTIFICATE_CHAIN_FOUND', base);
  return conclusion('TOTAL_PASSED', base);
}

/** The anchors as the fast path reads them; undefined when one cannot be read that way. */
function fastAnchors(anchors: readonly pkijs.Certificate[]): FastCert[] | undefined {
  const out: FastCert[] = [];
  for (const anchor of anchors) {
    const fast = fastAnchor(anchor, () => new Uint8Array(anchor.toSchema().toBER()));
    if (!fast) return undefined;
    out.push(fast);
  }
  return out;
}

type IntegrityOutcome = 'ok' | 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | 'FORMAT_FAILURE';

async function checkIntegrity(
  sig: PdfSignature,
  pdf: Uint8Array,
  signerInfo: pkijs.SignerInfo,
  signer: pkijs.Certificate,
  hashName: string,
): Promise<IntegrityOutcome> {
  const [a, b, c, d] = sig.byteRange;
  const hash = createHash(hashName);
  hash.update(pdf.subarray(a, a + b));
  hash.update(pdf.subarray(c, c + d));
  const digest = hash.digest();
  const engine = pkijs.getCrypto(true);
  const shaName = hashName.replace(/^sha/, 'SHA-');
  try {
    let data: ArrayBuffer;
    if (signerInfo.signedAttrs) {
      const attrs = signerInfo.signedAttrs.attributes;
      const type = attrs.find((x) => x.type === OID.contentType);
      const md = attrs.find((x) => x.type === OID.messageDigest);
      if (!type || !md) return 'FORMAT_FAILURE';
      const value = md.values[0];
      if (!(value instanceof asn1js.OctetString)) return 'FORMAT_FAILURE';
      if (!Buffer.from(value.valueBlock.valueHexView).equals(digest)) return 'HASH_FAILURE';
      data = signerInfo.signedAttrs.encodedValue;
    } else {
      // No signed attributes: the signature is over the content itself.
      data = new Uint8Array(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)])).buffer;
    }
    const ok =
      signerInfo.signatureAlgorithm.algorithmId === OID.rsaEncryption
        ? await engine.verifyWithPublicKey(
            data,
            signerInfo.signature,
            signer.subjectPublicKeyInfo,
            signerInfo.signatureAlgorithm,
            shaName,
          )
        : await engine.verifyWithPublicKey(
            data,
            signerInfo.signature,
            signer.subjectPublicKeyInfo,
            signerInfo.signatureAlgorithm,
          );
    return ok ? 'ok' : 'SIG_CRYPTO_FAILURE';
  } catch {
    // An unusable key or algorithm: the signature cannot be checked as it is.
    return 'SIG_CRYPTO_FAILURE';
  }
}

/** The certificate the SignerInfo names, by issuer and serial number or by subject key identifier. */
function findSignerCertificate(
  signed: pkijs.SignedData,
  signerInfo: pkijs.SignerInfo,
): pkijs.Certificate | undefined {
  const certs = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  const block = sid as asn1js.Constructed | asn1js.Primitive;
  const keyId = Buffer.from(
    block.idBlock.isConstructed
      ? ((block as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
      : (block as asn1js.Primitive).valueBlock.valueHexView,
  );
  return certs.find((c) =>
    createHash('sha1')
      .update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
      .digest()
      .equals(keyId),
  );
}

/** Whether the signer's certificate chains to one of the anchors, dates checked at `at`. */
async function chainsToAnchor(
  signed: pkijs.SignedData,
  signer: pkijs.Certificate,
  anchors: readonly pkijs.Certificate[],
  at: Date,
): Promise<boolean> {
  if (anchors.length === 0) return false;
  const certs = (signed.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  try {
    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [...anchors],
      certs: [...certs.filter((c) => c !== signer), signer],
      checkDate: at,
    });
    // Revocation is not checked (no CRL/OCSP fetch): the engine would otherwise refuse a chain
    // without revocation data. See docs/signatures.md.
    const result = await engine.verify({ passedWhenNotRevValues: true });
    return result.result === true;
  } catch {
    return false;
  }
}

/**
 * The genTime of a signature timestamp token (RFC 3161, unsigned attribute) whose imprint matches
 * the signature value and whose TSA chains to an anchor; undefined otherwise.
 */
async function timestampTime(
  signerInfo: pkijs.SignerInfo,
  anchors: readonly pkijs.Certificate[],
): Promise<Date | undefined> {
  const attr = signerInfo.unsignedAttrs?.attributes.find((x) => x.type === OID.timeStampToken);
  if (!attr || anchors.length === 0) return undefined;
  try {
    const token = new pkijs.ContentInfo({ schema: attr.values[0] });
    const tst = new pkijs.SignedData({ schema: token.content });
    const result = await tst.verify({
      signer: 0,
      data: signerInfo.signature.valueBlock.valueHexView.slice().buffer,
      checkChain: true,
      trustedCerts: [...anchors],
      extendedMode: true,
    });
    if (!result.signatureVerified) return undefined;
    const content = tst.encapContentInfo.eContent;
    if (!content) return undefined;
    return pkijs.TSTInfo.fromBER(content.getValue()).genTime;
  } catch {
    return undefined;
  }
}

/** signingTime of the signed attributes: the signer's claim. */
function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | undefined {
  const attr = signerInfo.signedAttrs?.attributes.find((x) => x.type === OID.signingTime);
  const value = attr?.values[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) {
    const date = value.toDate();
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

function describeSigner(
  cert: pkijs.Certificate,
): Pick<SignatureCheck, 'signerName' | 'organization' | 'issuer'> {
  const signerName = nameAttribute(cert.subject, OID.commonName);
  const organization = nameAttribute(cert.subject, OID.organization);
  const issuer = nameAttribute(cert.issuer, OID.commonName) ?? nameAttribute(cert.issuer, OID.organization);
  return {
    ...(signerName ? { signerName } : {}),
    ...(organization ? { organization } : {}),
    ...(issuer ? { issuer } : {}),
  };
}

/** A name attribute as text (UTF8String, PrintableString, BMPString …), NFC, bounded. */
export function nameAttribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | undefined {
  const entry = name.typesAndValues.find((t) => t.type === oid);
  const value = (entry?.value as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  if (typeof value !== 'string') return undefined;
  // Control characters would break lines of the CSV and mails; names never need them.
  const text = value
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim();
  return text ? text.slice(0, MAX_NAME_CHARS) : undefined;
}
