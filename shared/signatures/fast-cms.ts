/**
 * The fast path of the CMS check: the common PDF signature (one SignerInfo naming its certificate
 * by issuer and serial number, signed attributes, certificates in the CMS, no timestamp token)
 * read with a small DER walker and checked with node:crypto (OpenSSL), without building pkijs
 * objects — pkijs's schema parsing alone costs 5–15 ms a signature, more than SHA-256 of a 10 MB
 * file. The checks and their order are those of verify-cms.ts; whenever something here is not
 * plainly the common case (an unexpected shape, a timestamp, a certificate extension pkijs would
 * judge), this path declines (`undefined`) and verify-cms.ts decides with pkijs as before, so
 * every unusual or malformed signature keeps the result it had. Callers run checkDer first, so
 * the DER here is bounded in depth and size.
 */
import { constants, createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { conclusion, MAX_NAME_CHARS, type SignatureCheck } from '#shared/domain/signature-result.ts';

/** One TLV: its tag byte, where its value starts and ends, and where the whole TLV starts. */
interface Tlv {
  tag: number;
  start: number;
  valueStart: number;
  end: number;
}

/** Thrown inside this module when the DER is not the common shape; never escapes it. */
class Decline extends Error {}

function tlvAt(b: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Decline();
  const tag = b[at]!;
  // Only low tag numbers occur in the structures read here.
  if ((tag & 0x1f) === 0x1f) throw new Decline();
  let i = at + 1;
  const first = b[i++]!;
  let length = first;
  if (first >= 0x80) {
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length: not DER, leave it to pkijs.
    if (count === 0 || count > 4 || i + count > limit) throw new Decline();
    length = 0;
    for (let k = 0; k < count; k++) length = length * 256 + b[i++]!;
  }
  if (i + length > limit) throw new Decline();
  return { tag, start: at, valueStart: i, end: i + length };
}

/** The children of a constructed TLV. */
function children(b: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.valueStart; at < parent.end; ) {
    const t = tlvAt(b, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

function expect(t: Tlv | undefined, tag: number): Tlv {
  if (!t || t.tag !== tag) throw new Decline();
  return t;
}

/** The children of `parent`, whose tags must be `tags` in order (`?` after a tag: optional). */
function shaped(b: Uint8Array, parent: Tlv, tags: readonly (number | `${number}?`)[]): (Tlv | undefined)[] {
  const list = children(b, parent);
  const out: (Tlv | undefined)[] = [];
  let i = 0;
  for (const want of tags) {
    const optional = typeof want === 'string';
    const tag = optional ? Number(want.slice(0, -1)) : want;
    if (list[i]?.tag === tag) out.push(list[i++]);
    else if (optional) out.push(undefined);
    else throw new Decline();
  }
  if (i !== list.length) throw new Decline();
  return out;
}

/** An AlgorithmIdentifier: its OID and its parameters, if any. */
function algorithm(b: Uint8Array, t: Tlv | undefined): { oid: string; params: Tlv | undefined } {
  const parts = children(b, expect(t, 0x30));
  if (parts.length < 1 || parts.length > 2) throw new Decline();
  return { oid: oidOf(b, parts[0]!), params: parts[1] };
}

/** A Name: SEQUENCE OF SET OF SEQUENCE { OID, a primitive value }. */
function checkName(b: Uint8Array, name: Tlv | undefined): Tlv {
  for (const rdn of children(b, expect(name, 0x30))) {
    const atvs = children(b, expect(rdn, 0x31));
    if (atvs.length === 0) throw new Decline();
    for (const atv of atvs) {
      const parts = children(b, expect(atv, 0x30));
      if (parts.length !== 2 || parts[1]!.tag & 0x20) throw new Decline();
      oidOf(b, parts[0]!);
    }
  }
  return name!;
}

const value = (b: Uint8Array, t: Tlv) => b.subarray(t.valueStart, t.end);
const whole = (b: Uint8Array, t: Tlv) => b.subarray(t.start, t.end);

/** An OBJECT IDENTIFIER's dotted text. */
function oidOf(b: Uint8Array, t: Tlv): string {
  const v = value(b, expect(t, 0x06));
  if (v.length === 0 || v.length > 64) throw new Decline();
  const parts: number[] = [];
  let n = 0;
  for (const byte of v) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(n < 80 ? Math.floor(n / 40) : 2, n < 80 ? n % 40 : n - 80);
      else parts.push(n);
      n = 0;
    }
  }
  if (v.at(-1)! & 0x80) throw new Decline();
  return parts.join('.');
}

/** UTCTime or GeneralizedTime in their DER form (UTC, `Z`, whole seconds). */
function timeOf(b: Uint8Array, t: Tlv): Date {
  const text = Buffer.from(value(b, t)).toString('latin1');
  const utc = t.tag === 0x17 ? text.match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/) : null;
  const generalized = t.tag === 0x18 ? text.match(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/) : null;
  const m = utc ?? generalized;
  if (!m) throw new Decline();
  const yy = Number(m[1]);
  // UTCTime years 50–99 are 19xx (RFC 5280 §4.1.2.5.1).
  const year = generalized ? yy : yy < 50 ? 2000 + yy : 1900 + yy;
  const date = new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
  if (Number.isNaN(date.getTime())) throw new Decline();
  return date;
}

/** A directory string as text, as asn1js gives it (UTF8String, PrintableString, IA5String, BMPString). */
function stringOf(b: Uint8Array, t: Tlv): string | undefined {
  const v = Buffer.from(value(b, t));
  switch (t.tag) {
    case 0x0c:
      return v.toString('utf8');
    case 0x13:
    case 0x16:
      return v.toString('latin1');
    case 0x1e:
      return v.length % 2 === 0 ? Buffer.from(v).swap16().toString('utf16le') : undefined;
    default:
      // Other string types: pkijs decides (see nameText).
      throw new Decline();
  }
}

/** A Name's first value of attribute `oid`, cleaned as verify-cms.ts's nameAttribute does. */
function nameText(b: Uint8Array, name: Tlv, oid: string): string | undefined {
  for (const rdn of children(b, expect(name, 0x30))) {
    for (const atv of children(b, expect(rdn, 0x31))) {
      const [type, val] = children(b, expect(atv, 0x30));
      if (!type || !val || oidOf(b, type) !== oid) continue;
      const raw = stringOf(b, val);
      if (raw === undefined) return undefined;
      const text = raw
        .normalize('NFC')
        .replace(/[\u0000-\u001f\u007f]/g, ' ')
        .trim();
      return text ? text.slice(0, MAX_NAME_CHARS) : undefined;
    }
  }
  return undefined;
}

/** What the fast path reads of a certificate. */
export interface FastCert {
  der: Uint8Array;
  tbs: Uint8Array;
  serial: Uint8Array;
  issuer: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** cA of basicConstraints, keyUsage present, keyCertSign set; every critical extension is one of KNOWN_CRITICAL. */
  ca: boolean;
  keyUsage: boolean;
  keyCertSign: boolean;
  /** Whether the certificate carries an extension pkijs's chain engine judges beyond these (policies, name constraints) or a critical one unknown here. */
  unusual: boolean;
  describe: () => Pick<SignatureCheck, 'signerName' | 'organization' | 'issuer'>;
  native: () => X509Certificate;
  /** The subject's public key (OpenSSL's, made once: each `X509Certificate.publicKey` read makes a new one). */
  publicKey: () => KeyObject;
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
/** Critical extensions whose meaning this path applies (or that do not bear on a chain). */
const KNOWN_CRITICAL = new Set([
  '2.5.29.19',
  '2.5.29.15',
  '2.5.29.37',
  '2.5.29.14',
  '2.5.29.35',
  '2.5.29.17',
  '2.5.29.32',
]);
/** Policy and name-constraint extensions: pkijs's chain engine processes them. */
const POLICY_EXTENSIONS = new Set(['2.5.29.30', '2.5.29.33', '2.5.29.36', '2.5.29.54']);

/** Reads a certificate's DER (throws Decline on anything but the usual v3 shape). */
export function readCert(der: Uint8Array): FastCert {
  const cert = tlvAt(der, 0, der.length);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new Decline();
  const [tbsTlv, outerAlg, signatureBits] = shaped(der, cert, [0x30, 0x30, 0x03]);
  algorithm(der, outerAlg);
  // A signature BIT STRING has no unused bits; pkijs ignores the count, OpenSSL does not.
  if (signatureBits!.end - signatureBits!.valueStart < 2 || der[signatureBits!.valueStart] !== 0)
    throw new Decline();
  const [version, serial, innerAlg, issuer, validityTlv, subject, spki, , , extensions] = shaped(
    der,
    tbsTlv!,
    [`${0xa0}?`, 0x02, 0x30, 0x30, 0x30, 0x30, 0x30, `${0x81}?`, `${0x82}?`, `${0xa3}?`],
  );
  // Version 3 (2) whenever present; pkijs reads v1 certificates too, but they never sign PDFs.
  if (!version || integerOf(der, shaped(der, version, [0x02])[0]!) !== 2) throw new Decline();
  if (serial!.end === serial!.valueStart) throw new Decline();
  algorithm(der, innerAlg);
  checkName(der, issuer);
  checkName(der, subject);
  const [keyAlg, keyBits] = shaped(der, spki!, [0x30, 0x03]);
  algorithm(der, keyAlg);
  // A key BIT STRING has no unused bits (asn1js refuses a count above 7).
  if (keyBits!.end - keyBits!.valueStart < 2 || der[keyBits!.valueStart] !== 0) throw new Decline();
  const validity = children(der, validityTlv!);
  if (validity.length !== 2) throw new Decline();
  const notBefore = timeOf(der, validity[0]!);
  const notAfter = timeOf(der, validity[1]!);
  let ca = false;
  let keyUsage = false;
  let keyCertSign = false;
  let unusual = false;
  if (extensions) {
    const [list] = shaped(der, extensions, [0x30]);
    for (const ext of children(der, list!)) {
      const [extnId, criticalTlv, octets] = shaped(der, expect(ext, 0x30), [0x06, `${0x01}?`, 0x04]);
      const oid = oidOf(der, extnId!);
      const critical = criticalTlv !== undefined && value(der, criticalTlv)[0] !== 0;
      if (POLICY_EXTENSIONS.has(oid) || (critical && !KNOWN_CRITICAL.has(oid))) unusual = true;
      if (oid === '2.5.29.19') {
        const [seq] = shaped(der, octets!, [0x30]);
        const [cA, pathLen] = shaped(der, seq!, [`${0x01}?`, `${0x02}?`]);
        if (pathLen) integerOf(der, pathLen);
        ca = cA !== undefined && value(der, cA)[0] !== 0;
      } else if (oid === '2.5.29.15') {
        const [bits] = shaped(der, octets!, [0x03]);
        const v = value(der, bits!);
        if (v.length === 0 || v[0]! > 7 || (v.length === 1 && v[0] !== 0)) throw new Decline();
        keyUsage = true;
        // The BIT STRING's first byte counts unused bits; keyCertSign is bit 5 of the next.
        keyCertSign = v.length > 1 && (v[1]! & 0x04) === 0x04;
      }
    }
  }
  let native: X509Certificate | undefined;
  let publicKey: KeyObject | undefined;
  return {
    der,
    tbs: whole(der, tbsTlv!),
    serial: value(der, serial!),
    issuer: whole(der, issuer!),
    notBefore,
    notAfter,
    ca,
    keyUsage,
    keyCertSign,
    unusual,
    describe: () => {
      const signerName = nameText(der, subject!, OID_CN);
      const organization = nameText(der, subject!, OID_O);
      const issuerName = nameText(der, issuer!, OID_CN) ?? nameText(der, issuer!, OID_O);
      return {
        ...(signerName ? { signerName } : {}),
        ...(organization ? { organization } : {}),
        ...(issuerName ? { issuer: issuerName } : {}),
      };
    },
    native: () => {
      native ??= new X509Certificate(der);
      return native;
    },
    publicKey: () => {
      native ??= new X509Certificate(der);
      publicKey ??= native.publicKey;
      return publicKey;
    },
  };
}

/** Certificates of CMS read lately, by DER (most recent last), see {@link cachedCert}. */
const certCache = new Map<string, FastCert>();
/** How many, and how large: a CA's certificates are a few KB, and the cache holds copies. */
const MAX_CACHED_CERTS = 64;
const MAX_CACHED_CERT_BYTES = 16 * 1024;

/**
 * A certificate of a CMS as {@link readCert} reads it, reused when the same DER was read lately:
 * OpenSSL's parse of a certificate and its key (`new X509Certificate`, `.publicKey`) costs about
 * 0.1–0.3 ms each, more than everything else of the check but the hash, and the CA certificates
 * (and a unit's own signer) come back in file after file. The cached copy holds its own bytes
 * (never the /Contents it came from); only a certificate readCert accepts is kept.
 */
function cachedCert(der: Uint8Array): FastCert {
  if (der.length > MAX_CACHED_CERT_BYTES) return readCert(der);
  const key = Buffer.from(der.buffer, der.byteOffset, der.length).toString('latin1');
  const hit = certCache.get(key);
  if (hit) {
    certCache.delete(key);
    certCache.set(key, hit);
    return hit;
  }
  const cert = readCert(der.slice());
  certCache.set(key, cert);
  if (certCache.size > MAX_CACHED_CERTS) certCache.delete(certCache.keys().next().value!);
  return cert;
}

/** Anchors read once (they are checked against every file); a `null` anchor is one the fast path cannot read. */
const anchorCache = new WeakMap<object, FastCert | null>();
export function fastAnchor(key: object, der: () => Uint8Array): FastCert | undefined {
  let cached = anchorCache.get(key);
  if (cached === undefined) {
    try {
      cached = readCert(der());
    } catch {
      cached = null;
    }
    anchorCache.set(key, cached);
  }
  return cached ?? undefined;
}

const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms: the digest each names (undefined: the SignerInfo's digest). */
const SIGNATURE_ALGORITHMS: Record<string, string | undefined> = {
  '1.2.840.113549.1.1.1': undefined, // rsaEncryption
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';
const OID = {
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

/** RSA-PSS parameters (RFC 4055): hash, MGF1 with the same hash, salt length, trailer 1. */
function pssParams(b: Uint8Array, params: Tlv | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  for (const field of params ? children(b, expect(params, 0x30)) : []) {
    const [inner] = children(b, field);
    if (!inner) throw new Decline();
    if (field.tag === 0xa0) hash = DIGESTS[oidOf(b, children(b, expect(inner, 0x30))[0]!)] ?? '';
    else if (field.tag === 0xa1) {
      const [mgf, mgfParams] = children(b, expect(inner, 0x30));
      if (oidOf(b, mgf!) !== MGF1 || !mgfParams) throw new Decline();
      mgfHash = DIGESTS[oidOf(b, children(b, expect(mgfParams, 0x30))[0]!)] ?? '';
    } else if (field.tag === 0xa2) saltLength = integerOf(b, inner);
    else if (field.tag === 0xa3) {
      if (integerOf(b, inner) !== 1) throw new Decline();
    } else throw new Decline();
  }
  if (!hash || hash !== mgfHash) throw new Decline();
  return { hash, saltLength };
}

function integerOf(b: Uint8Array, t: Tlv): number {
  const v = value(b, expect(t, 0x02));
  if (v.length === 0 || v.length > 4 || v[0]! & 0x80) throw new Decline();
  return v.reduce((n, x) => n * 256 + x, 0);
}

/** What the fast path needs besides the CMS. */
export interface FastContext {
  pdf: Uint8Array;
  byteRange: readonly [number, number, number, number];
  coversWholeFile: boolean;
  anchors: readonly FastCert[] | undefined;
  now: Date;
}

/**
 * Checks a CMS (its DER, padding removed) the fast way; undefined when it is not the common case
 * and pkijs must decide.
 */
export function verifyCmsFast(der: Uint8Array, ctx: FastContext): SignatureCheck | undefined {
  try {
    return check(der, ctx);
  } catch (error) {
    if (error instanceof Decline) return undefined;
    // node:crypto refusing a key or certificate: pkijs decides too.
    return undefined;
  }
}

function check(b: Uint8Array, ctx: FastContext): SignatureCheck | undefined {
  const { coversWholeFile } = ctx;
  // The shape pkijs's schemas ask for, field by field (RFC 5652 §5).
  const root = tlvAt(b, 0, b.length);
  if (root.tag !== 0x30 || root.end !== b.length) throw new Decline();
  const [type, explicit] = shaped(b, root, [0x06, 0xa0]);
  if (oidOf(b, type!) !== OID.signedData) throw new Decline();
  const [signedTlv] = shaped(b, explicit!, [0x30]);
  const [version, digestAlgorithms, encapTlv, certsTlv, , signerInfosTlv] = shaped(b, signedTlv!, [
    0x02,
    0x31,
    0x30,
    `${0xa0}?`,
    `${0xa1}?`,
    0x31,
  ]);
  integerOf(b, version!);
  for (const alg of children(b, digestAlgorithms!)) algorithm(b, alg);
  // A detached signature: the content type alone, no eContent.
  const [contentType] = shaped(b, encapTlv!, [0x06]);
  oidOf(b, contentType!);
  const signerInfos = children(b, signerInfosTlv!);
  if (signerInfos.length !== 1) throw new Decline();
  // Unsigned attributes (a timestamp token) or a subject key identifier as sid: pkijs checks them.
  const si = shaped(b, expect(signerInfos[0], 0x30), [0x02, 0x30, 0x30, 0xa0, 0x30, 0x04]);
  integerOf(b, si[0]!);
  const [sidIssuer, sidSerial] = shaped(b, si[1]!, [0x30, 0x02]);
  checkName(b, sidIssuer);
  const digestAlg = algorithm(b, si[2]);
  const attrsTlv = si[3]!;
  const sigAlg = algorithm(b, si[4]);
  const signature = value(b, si[5]!);

  const certs: FastCert[] = [];
  // Certificates only: the other CertificateChoices (attribute certificates …) are pkijs's.
  for (const t of certsTlv ? children(b, certsTlv) : []) certs.push(cachedCert(whole(b, expect(t, 0x30))));
  const issuerDer = whole(b, sidIssuer!);
  const serial = value(b, sidSerial!);
  const signer = certs.find(
    (c) => Buffer.from(c.issuer).equals(issuerDer) && Buffer.from(c.serial).equals(serial),
  );
  if (!signer) throw new Decline();
  const who = signer.describe();

  // Signed attributes: contentType, messageDigest (an OCTET STRING), signingTime.
  const attrs = new Map<string, Tlv | undefined>();
  for (const attr of children(b, attrsTlv)) {
    const [attrType, values] = shaped(b, expect(attr, 0x30), [0x06, 0x31]);
    const oid = oidOf(b, attrType!);
    const first = children(b, values!)[0];
    if (!first) throw new Decline();
    if (!attrs.has(oid)) attrs.set(oid, first);
  }
  const digestTlv = attrs.get(OID.messageDigest);
  if (!attrs.has(OID.contentType) || digestTlv?.tag !== 0x04) throw new Decline();
  const timeTlv = attrs.get(OID.signingTime);
  const claimed = timeTlv && (timeTlv.tag === 0x17 || timeTlv.tag === 0x18) ? timeOf(b, timeTlv) : undefined;
  if (timeTlv && !claimed) throw new Decline();

  // 1. Integrity.
  const hashName = DIGESTS[digestAlg.oid];
  if (!hashName) throw new Decline();
  const [a, len1, c, len2] = ctx.byteRange;
  const digest = createHash(hashName)
    .update(ctx.pdf.subarray(a, a + len1))
    .update(ctx.pdf.subarray(c, c + len2))
    .digest();
  if (!digest.equals(value(b, digestTlv))) return conclusion('HASH_FAILURE', { ...who, coversWholeFile });
  const sigOid = sigAlg.oid;
  let key: KeyObject | { key: KeyObject; padding: number; saltLength: number } = signer.publicKey();
  let hash: string;
  if (sigOid === RSASSA_PSS) {
    const pss = pssParams(b, sigAlg.params);
    hash = pss.hash;
    key = { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength };
  } else if (sigOid in SIGNATURE_ALGORITHMS) hash = SIGNATURE_ALGORITHMS[sigOid] ?? hashName;
  else throw new Decline();
  // The signature is over the signed attributes as a SET (tag 0x31 instead of [0]).
  const signedAttrs = Buffer.from(whole(b, attrsTlv));
  signedAttrs[0] = 0x31;
  // A signature that does not check out is left to pkijs: its reading of encodings (an ECDSA
  // value, a BIT STRING) is laxer than OpenSSL's here and there, and the result must not change.
  if (!verify(hash, signedAttrs, key, Buffer.from(signature))) throw new Decline();

  // 2. The signing time: claimed (a proven one needs a timestamp token, which pkijs checks).
  const at = claimed ?? ctx.now;
  const base = {
    ...who,
    ...(claimed ? { signingTime: claimed.toISOString() } : {}),
    timeProven: false,
    coversWholeFile,
  };
  // 3. The certificate at that time, then the chain.
  if (at < signer.notBefore || at > signer.notAfter) return conclusion('OUT_OF_BOUNDS_NOT_REVOKED', base);
  const chain = chainsToAnchor(signer, certs, ctx.anchors, at);
  if (chain === undefined) throw new Decline();
  return conclusion(chain ? 'TOTAL_PASSED' : 'NO_CERTIFICATE_CHAIN_FOUND', base);
}

/** Longest chain looked for, signer and anchor included (real ones have 2–4 certificates). */
const MAX_CHAIN_LENGTH = 8;

/**
 * Whether the signer chains to an anchor as pkijs's chain engine decides it: each link's issuer
 * by name and key identifier (OpenSSL's checkIssued, which also wants keyCertSign when keyUsage is
 * present) and its signature; every certificate of the path valid at `at`; every issuer a CA
 * (basicConstraints cA; keyCertSign when keyUsage is present). `true` when such a path exists;
 * otherwise undefined — pkijs decides every chain not found here (its issuer matching and
 * encodings differ from OpenSSL's in corners), and also a path through a certificate it would
 * judge further (policies, name constraints, unknown critical extensions). No anchors: false.
 */
function chainsToAnchor(
  signer: FastCert,
  certs: readonly FastCert[],
  anchors: readonly FastCert[] | undefined,
  at: Date,
): true | false | undefined {
  if (anchors === undefined) return undefined;
  if (anchors.length === 0) return false;
  const isAnchor = (c: FastCert) => anchors.some((x) => Buffer.from(x.tbs).equals(c.tbs));
  const pool = [...anchors, ...certs];
  const search = (path: FastCert[]): boolean => {
    const last = path.at(-1)!;
    if (isAnchor(last)) {
      // A signer that is itself an anchor is checked as its own issuer, as pkijs does.
      const full = path.length === 1 ? [last, last] : path;
      return (
        !full.some((x) => x.unusual) &&
        full.every((x) => at >= x.notBefore && at <= x.notAfter) &&
        full.slice(1).every((x) => x.ca && (!x.keyUsage || x.keyCertSign))
      );
    }
    if (path.length >= MAX_CHAIN_LENGTH) return false;
    const child = last.native();
    for (const candidate of pool) {
      if (path.some((p) => Buffer.from(p.tbs).equals(candidate.tbs))) continue;
      const issuer = candidate.native();
      if (!child.checkIssued(issuer) || !child.verify(candidate.publicKey())) continue;
      if (search([...path, candidate])) return true;
    }
    return false;
  };
  return search([signer]) ? true : undefined;
}
