/**
 * What a signature check concludes, as validators present it (ETSI EN 319 102-1 and the EU DSS
 * indications), with a reason in Vietnamese for people and a stable code for machines. Pure data:
 * imported by the recorder, the pages, the e-mails and the exports without the verifier itself.
 */

/**
 * - `valid` — TOTAL_PASSED (Hợp lệ): the bytes are what was signed, the signature checks out, the
 *   signer's certificate chains to a trust anchor and was valid at the signing time.
 * - `indeterminate` — INDETERMINATE (Chưa xác định): intact, but the signer cannot be confirmed
 *   (no chain to a trust anchor, certificate expired or not yet valid), or content was added after
 *   signing and no later signature covers it.
 * - `invalid` — TOTAL_FAILED (Không hợp lệ): the digest or the signature does not match, or the
 *   signature is malformed.
 * - `unsigned` — Không ký số: no signature (or not a PDF).
 */
export type SignatureIndication = 'valid' | 'indeterminate' | 'invalid' | 'unsigned';

/** Vietnamese labels of the indications (badges, e-mails, summary sheet). */
export const INDICATION_LABELS: Record<SignatureIndication, string> = {
  valid: 'Hợp lệ',
  indeterminate: 'Chưa xác định',
  invalid: 'Không hợp lệ',
  unsigned: 'Không ký số',
};

/** The label of a PDF that has not been checked yet (the check runs after the receipt). */
export const PENDING_LABEL = 'Đang kiểm tra chữ ký số';

/**
 * The receipt e-mail's line under each PDF: the e-mail is sent when the file is recorded, before
 * its signatures are checked; the status page ("Xem các lần nộp") shows the result and the signer.
 */
export const RECEIPT_SIGNATURE_NOTE =
  'Chữ ký số: đang kiểm tra — kết quả và người ký hiện trên trang các lần nộp.';

/**
 * Sub-indications (ETSI names where one exists) with their Vietnamese reasons. The code is what
 * summary.csv and the JSON carry; the reason is what people read.
 */
export const REASONS = {
  TOTAL_PASSED:
    'Chữ ký đúng, tệp không bị thay đổi sau khi ký, chứng thư số của người ký do tổ chức được tin cậy cấp và còn hiệu lực khi ký.',
  NO_SIGNATURE: 'Tệp không có chữ ký số.',
  NO_CERTIFICATE_CHAIN_FOUND:
    'Chữ ký đúng và tệp không bị thay đổi, nhưng chứng thư số của người ký không do tổ chức chứng thực nào trong danh sách tin cậy cấp.',
  OUT_OF_BOUNDS_NOT_REVOKED:
    'Chữ ký đúng và tệp không bị thay đổi, nhưng chứng thư số của người ký đã hết hạn hoặc chưa có hiệu lực vào thời điểm ký.',
  MODIFIED_AFTER_SIGNING:
    'Chữ ký đúng cho phần đã ký, nhưng tệp có thêm nội dung sau khi ký mà không có chữ ký nào bao trùm.',
  UNSUPPORTED_FORMAT: 'Định dạng chữ ký số này chưa được hỗ trợ kiểm tra.',
  HASH_FAILURE: 'Nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp).',
  SIG_CRYPTO_FAILURE: 'Chữ ký không khớp với chứng thư số của người ký.',
  FORMAT_FAILURE: 'Chữ ký số bị hỏng hoặc không đúng định dạng.',
  BYTE_RANGE_INVALID: 'Vùng dữ liệu được ký (ByteRange) không hợp lệ hoặc nằm ngoài tệp.',
  SIGNATURE_TOO_LARGE: 'Chữ ký số vượt quá kích thước cho phép.',
  TOO_MANY_SIGNATURES: 'Tệp có quá nhiều chữ ký số để kiểm tra.',
  FILE_TOO_LARGE: 'Tệp quá lớn để kiểm tra chữ ký số.',
  SIGNER_CERTIFICATE_NOT_FOUND: 'Chữ ký số không kèm chứng thư số của người ký.',
} as const;

export type ReasonCode = keyof typeof REASONS;

/** The indication each reason code leads to. */
export const REASON_INDICATION: Record<ReasonCode, SignatureIndication> = {
  TOTAL_PASSED: 'valid',
  NO_SIGNATURE: 'unsigned',
  NO_CERTIFICATE_CHAIN_FOUND: 'indeterminate',
  OUT_OF_BOUNDS_NOT_REVOKED: 'indeterminate',
  MODIFIED_AFTER_SIGNING: 'indeterminate',
  UNSUPPORTED_FORMAT: 'indeterminate',
  HASH_FAILURE: 'invalid',
  SIG_CRYPTO_FAILURE: 'invalid',
  FORMAT_FAILURE: 'invalid',
  BYTE_RANGE_INVALID: 'invalid',
  SIGNATURE_TOO_LARGE: 'invalid',
  TOO_MANY_SIGNATURES: 'invalid',
  FILE_TOO_LARGE: 'indeterminate',
  SIGNER_CERTIFICATE_NOT_FOUND: 'invalid',
};

/** One signature of a file, as checked. Strings are bounded ({@link MAX_NAME_CHARS}). */
export interface SignatureCheck {
  indication: SignatureIndication;
  code: ReasonCode;
  /** Vietnamese. */
  reason: string;
  /** Signer's common name (CN), when the certificate was found. */
  signerName?: string | undefined;
  /** Signer's organisation (O). */
  organization?: string | undefined;
  /** Issuing CA (its CN, else O). */
  issuer?: string | undefined;
  /** Signing time, ISO-8601: from a timestamp token when one was checked, else as claimed by the signer. */
  signingTime?: string | undefined;
  /** true when a timestamp token proves the signing time; false when it is only the signer's claim. */
  timeProven?: boolean | undefined;
  /** Whether the signed byte range ends at the end of the file (no bytes were added after it). */
  coversWholeFile?: boolean | undefined;
}

/** The check of one file: its overall indication and each signature (in file order). */
export interface FileSignatureResult {
  indication: SignatureIndication;
  code: ReasonCode;
  reason: string;
  signatures: SignatureCheck[];
  checkedAt: string;
  /** {@link VERIFIER_VERSION} of the code that checked it. */
  verifierVersion: string;
  /** The trust store's version the chain was built against. */
  trustStoreVersion: string;
}

/** Bumped whenever the verifier's rules change: results record which rules made them. */
export const VERIFIER_VERSION = '1';

/** Names read from certificates are cut to this many characters (items and mails stay small). */
export const MAX_NAME_CHARS = 200;

/** Worst first: the file's indication is its worst signature's. */
const SEVERITY: Record<SignatureIndication, number> = { invalid: 3, indeterminate: 2, valid: 1, unsigned: 0 };

/** The overall result of a file from its signatures' checks (the worst one decides). */
export function fileResult(
  signatures: SignatureCheck[],
  meta: { checkedAt: string; trustStoreVersion: string },
): FileSignatureResult {
  const worst = signatures.reduce<SignatureCheck | undefined>(
    (w, s) => (w === undefined || SEVERITY[s.indication] > SEVERITY[w.indication] ? s : w),
    undefined,
  );
  const code: ReasonCode = worst?.code ?? 'NO_SIGNATURE';
  return {
    indication: worst?.indication ?? 'unsigned',
    code,
    reason: worst?.reason ?? REASONS.NO_SIGNATURE,
    signatures,
    checkedAt: meta.checkedAt,
    verifierVersion: VERIFIER_VERSION,
    trustStoreVersion: meta.trustStoreVersion,
  };
}

/** A check with only a conclusion (no signer identified). */
export function conclusion(code: ReasonCode, extra: Partial<SignatureCheck> = {}): SignatureCheck {
  return { indication: REASON_INDICATION[code], code, reason: REASONS[code], ...extra };
}

/**
 * Who signed, for one line: "Nguyễn Văn A (Sở Tài chính)" — the signers of a file's signatures
 * whose certificate was read, joined with "; ". Empty when there is none.
 */
export function signedBy(result: FileSignatureResult | undefined): string {
  if (!result) return '';
  const names = result.signatures
    .filter((s) => s.signerName)
    .map((s) => (s.organization ? `${s.signerName} (${s.organization})` : s.signerName!));
  return [...new Set(names)].join('; ');
}

/**
 * The label people see for a file: the indication of its result; for a PDF without one yet,
 * {@link PENDING_LABEL}; any other file type is "Không ký số".
 */
export function signatureLabel(result: FileSignatureResult | undefined, isPdf: boolean): string {
  if (result) return INDICATION_LABELS[result.indication];
  return isPdf ? PENDING_LABEL : INDICATION_LABELS.unsigned;
}

/** Whether a file is checked for signatures (only PDFs are). */
export function isPdfFile(file: { contentType: string; fileName: string }): boolean {
  return file.contentType === 'application/pdf' || /\.pdf$/i.test(file.fileName);
}

/** A file's signature as pages show it (receipt, period and unit pages): the state, its Vietnamese label and reason, who signed. */
export interface FileSignatureView {
  state: SignatureIndication | 'pending';
  label: string;
  /** Why (Vietnamese); empty while being checked. */
  reason: string;
  /** "Nguyễn Văn A (Chi bộ X)", several joined with "; "; empty when nobody. */
  signedBy: string;
}

/** The receipt's view of a file's signature result (or of its absence). */
export function fileSignatureView(
  file: { fileName: string; contentType: string },
  result: FileSignatureResult | undefined,
): FileSignatureView {
  const pdf = isPdfFile(file);
  return {
    state: result?.indication ?? (pdf ? 'pending' : 'unsigned'),
    label: signatureLabel(result, pdf),
    reason: result?.reason ?? (pdf ? '' : REASONS.NO_SIGNATURE),
    signedBy: signedBy(result),
  };
}
