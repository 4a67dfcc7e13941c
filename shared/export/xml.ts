/**
 * XML text for the OOXML parts (tong-hop.xlsx, bao-cao-tong-hop.docx). Every string the writers put into a part goes through
 * {@link escapeXml}: XML 1.0 cannot carry most C0 controls, U+FFFE/U+FFFF or unpaired surrogates
 * (one of them makes Excel refuse the whole file), so they are removed, and markup characters are
 * escaped, so text can never become markup.
 */

/** Anything that needs work: markup characters, C0 controls but tab and LF, surrogates, U+FFFE/F. */
const NEEDS_WORK = /[&<>"\u0000-\u0008\u000b-\u001f\ud800-\udfff\ufffe\uffff]/;
/** What XML 1.0 cannot carry at all (tab, LF and CR can be carried). */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MARKUP = /[&<>"\r]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // A literal CR would be read back as LF (XML end-of-line handling): a character reference keeps it.
  '\r': '&#13;',
};

/** Text or attribute content: characters XML cannot carry removed, the rest escaped. */
export function escapeXml(text: string): string {
  // Most cells (ids, Vietnamese names, hashes) need nothing: one test, no copy.
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(NOT_XML, '').replace(MARKUP, (c) => ENTITIES[c]!);
}

/** The XML declaration every part starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
