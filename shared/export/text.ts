import { offsetAt } from '#shared/domain/calendar.ts';

/**
 * Text written by units (names, notes) goes into XML documents (xlsx, docx) as data. XML 1.0
 * cannot carry most control characters or unpaired surrogates: a single one makes Word and Excel
 * refuse the whole file. They are removed (tabs and line breaks are kept), as are bidirectional
 * controls, and the text is NFC.
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * Bidirectional embeddings, overrides and isolates: invisible, they reorder what the reader sees
 * (a name ending in U+202E shows the next words backwards). Vietnamese text never needs them.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Printable ASCII, Latin and precomposed Vietnamese letters: already plain, already NFC. */
const ALREADY_PLAIN = /^[\u0020-\u007e\u00a0-\u02ff\u1e00-\u1eff\u2010-\u2027]*$/;

export function plainText(text: string): string {
  if (ALREADY_PLAIN.test(text)) return text;
  return String(text)
    .replace(/\r\n?/g, '\n')
    .replace(NOT_XML, '')
    .replace(BIDI_CONTROLS, '')
    .replace(LONE_SURROGATE, '\ufffd')
    .normalize('NFC');
}

/** A rate 0..1 as Vietnamese readers write it: 0.6667 → "66,7%". */
export function percentVi(rate: number): string {
  return `${(rate * 100).toFixed(1).replace('.', ',')}%`;
}

/** Zones Vietnamese readers know by the country's name (the legacy alias included). */
const VIETNAM_ZONES = new Set(['Asia/Ho_Chi_Minh', 'Asia/Saigon']);

/**
 * A time zone as a reader says it after a time: "giờ Việt Nam" for Vietnam's zone, otherwise
 * "giờ UTC+07:00" from the zone's offset at `at` (an IANA id means nothing to a secretary).
 */
export function timeZoneVi(timeZone: string, at: Date = new Date()): string {
  if (VIETNAM_ZONES.has(timeZone)) return 'giờ Việt Nam';
  const minutes = Math.round(offsetAt(at.getTime(), timeZone) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `giờ UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
