/**
 * A second test PKI, made at run time with WebCrypto and pkijs: what node-forge cannot make —
 * ECDSA and RSA-PSS keys, chains through an intermediate CA — and a @signpdf Signer that writes
 * the CMS with pkijs. Nothing of it is committed.
 */
import { createHash } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import * as signpdfModule from '@signpdf/signpdf';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** @signpdf's Signer base class (from @signpdf/utils, not a direct dependency): SignPdf wants an instance. */
const Signer = Object.getPrototypeOf(P12Signer) as new () => {
  sign(pdf: Buffer, signingTime?: Date): Promise<Buffer>;
};

export type KeyKind = 'ecdsa' | 'rsa-pss' | 'rsa';

const ALGORITHMS: Record<KeyKind, RsaHashedKeyGenParams | EcKeyGenParams> = {
  ecdsa: { name: 'ECDSA', namedCurve: 'P-256' },
  'rsa-pss': {
    name: 'RSA-PSS',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  rsa: {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
};

export interface WebCert {
  cert: pkijs.Certificate;
  der: Uint8Array;
  privateKey: CryptoKey;
  /** The certificate as PEM (what `baocao trust add` takes). */
  pem: string;
}

const DAY = 86_400_000;
let serial = 0x2000;

/**
 * A certificate: self-signed when `issuer` is absent. `ca` makes it a CA (basicConstraints cA,
 * keyCertSign); `utf8` writes the names as UTF8String (Vietnamese signers).
 */
export async function makeCert(options: {
  name: string;
  organization?: string;
  kind: KeyKind;
  issuer?: WebCert;
  ca: boolean;
  from?: Date;
  to?: Date;
}): Promise<WebCert> {
  const keys = (await crypto.subtle.generateKey(ALGORITHMS[options.kind], true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  serial += 1;
  cert.serialNumber = new asn1js.Integer({ value: serial });
  const name = (rdn: pkijs.RelativeDistinguishedNames, cn: string, o?: string) => {
    rdn.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    );
    if (o)
      rdn.typesAndValues.push(
        new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: o }) }),
      );
  };
  name(cert.subject, options.name, options.organization);
  if (options.issuer) cert.issuer = options.issuer.cert.subject;
  else name(cert.issuer, options.name, options.organization);
  cert.notBefore.value = options.from ?? new Date(Date.now() - 30 * DAY);
  cert.notAfter.value = options.to ?? new Date(Date.now() + 365 * DAY);
  const basic = new pkijs.BasicConstraints({ cA: options.ca });
  // keyUsage: keyCertSign + cRLSign for a CA, digitalSignature + nonRepudiation for a signer.
  const usage = new asn1js.BitString({ valueHex: new Uint8Array([options.ca ? 0x06 : 0xc0]).buffer });
  cert.extensions = [
    new pkijs.Extension({
      extnID: '2.5.29.19',
      critical: true,
      extnValue: basic.toSchema().toBER(),
      parsedValue: basic,
    }),
    new pkijs.Extension({ extnID: '2.5.29.15', critical: true, extnValue: usage.toBER() }),
  ];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(options.issuer?.privateKey ?? keys.privateKey, 'SHA-256');
  const der = new Uint8Array(cert.toSchema(true).toBER());
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  return { cert: pkijs.Certificate.fromBER(der), der, privateKey: keys.privateKey, pem };
}

/** A @signpdf Signer writing a detached CMS with pkijs: signed attributes, `chain` as the certificates. */
export class WebCryptoSigner extends Signer {
  constructor(
    private readonly signer: WebCert,
    private readonly chain: readonly WebCert[],
  ) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const digest = createHash('sha256').update(pdf).digest();
    const signed = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({
            issuer: this.signer.cert.issuer,
            serialNumber: this.signer.cert.serialNumber,
          }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              new pkijs.Attribute({
                type: '1.2.840.113549.1.9.3',
                values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })],
              }),
              new pkijs.Attribute({
                type: '1.2.840.113549.1.9.5',
                values: [new asn1js.UTCTime({ valueDate: signingTime ?? new Date() })],
              }),
              new pkijs.Attribute({
                type: '1.2.840.113549.1.9.4',
                values: [new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer })],
              }),
            ],
          }),
        }),
      ],
      certificates: [this.signer.cert, ...this.chain.map((c) => c.cert)],
    });
    await signed.sign(this.signer.privateKey, 0, 'SHA-256');
    const info = new pkijs.ContentInfo({
      contentType: '1.2.840.113549.1.7.2',
      content: signed.toSchema(true),
    });
    return Buffer.from(info.toSchema().toBER());
  }
}

/** Signs `pdf` (incrementally) with `signer`, its CMS carrying `chain`. */
export function signPdfWebCrypto(
  pdf: Buffer,
  signer: WebCert,
  chain: readonly WebCert[] = [],
): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: 'Ký duyệt báo cáo',
    contactInfo: 'vanphong@example.org',
    name: 'Test',
    location: 'Hà Nội',
    signatureLength: 8192,
  });
  // Its ESM default export is a namespace (NOTES.md).
  const mod = signpdfModule as unknown as {
    SignPdf?: new () => SignPdfLike;
    default?: { SignPdf: new () => SignPdfLike };
  };
  const SignPdf = mod.SignPdf ?? mod.default!.SignPdf;
  return new SignPdf().sign(withPlaceholder, new WebCryptoSigner(signer, chain));
}

interface SignPdfLike {
  sign(pdf: Buffer, signer: InstanceType<typeof Signer>): Promise<Buffer>;
}
