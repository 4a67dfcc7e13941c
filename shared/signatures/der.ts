/**
 * A bounded, iterative walk over BER/DER before a parser sees it: the ASN.1 parser (asn1js) is
 * recursive, so a hostile CMS nested a hundred thousand levels deep would exhaust its stack. A
 * real CMS SignedData with a timestamp token nests about 20 levels.
 */

/** Deepest nesting of constructed values accepted in a signature. */
export const MAX_DER_DEPTH = 40;
/** Most TLVs in one signature (a CMS with a few certificates and CRLs has a few thousand). */
export const MAX_DER_NODES = 200_000;

export type DerCheck =
  | { ok: true; length: number }
  | { ok: false; problem: 'malformed' | 'too-deep' | 'too-many' };

/**
 * Walks the first TLV of `bytes` (definite or indefinite lengths) without recursion and returns
 * its encoded length: what follows it (the /Contents zero padding) is not part of the CMS.
 */
export function checkDer(bytes: Uint8Array): DerCheck {
  // Ends of the constructed values being read: a number (definite) or -1 (indefinite, ends at 00 00).
  const ends: number[] = [];
  let pos = 0;
  let nodes = 0;
  for (;;) {
    // Close every definite value that ends here.
    while (ends.length > 0 && ends.at(-1)! >= 0 && pos === ends.at(-1)) ends.pop();
    if (nodes > 0 && ends.length === 0) break;
    if (ends.at(-1) === -1 && bytes[pos] === 0 && bytes[pos + 1] === 0) {
      ends.pop();
      pos += 2;
      continue;
    }
    if (++nodes > MAX_DER_NODES) return { ok: false, problem: 'too-many' };
    const header = readHeader(bytes, pos);
    if (!header) return { ok: false, problem: 'malformed' };
    const { constructed, length, headerLength } = header;
    pos += headerLength;
    const parentEnd = ends.length > 0 ? ends.at(-1)! : bytes.length;
    if (length < 0) {
      if (!constructed) return { ok: false, problem: 'malformed' };
      ends.push(-1);
    } else {
      const end = pos + length;
      if (end > bytes.length || (parentEnd >= 0 && end > parentEnd))
        return { ok: false, problem: 'malformed' };
      if (constructed) ends.push(end);
      else pos = end;
    }
    if (ends.length > MAX_DER_DEPTH) return { ok: false, problem: 'too-deep' };
  }
  if (ends.length > 0) return { ok: false, problem: 'malformed' };
  return { ok: true, length: pos };
}

function readHeader(
  bytes: Uint8Array,
  at: number,
): { constructed: boolean; length: number; headerLength: number } | undefined {
  if (at >= bytes.length) return undefined;
  const tag = bytes[at]!;
  let i = at + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number: base-128 digits, at most 4.
    let digits = 0;
    while (i < bytes.length && bytes[i]! & 0x80) {
      i++;
      if (++digits > 4) return undefined;
    }
    i++;
  }
  if (i >= bytes.length) return undefined;
  const first = bytes[i++]!;
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) length = -1;
  else {
    const count = first & 0x7f;
    if (count > 4 || i + count > bytes.length) return undefined;
    length = 0;
    for (let k = 0; k < count; k++) length = length * 256 + bytes[i++]!;
  }
  return { constructed: (tag & 0x20) !== 0, length, headerLength: i - at };
}
