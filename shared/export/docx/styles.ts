/**
 * `word/styles.xml` and `word/settings.xml` of the documents ./document.ts writes: document
 * defaults (font, size, language, spacing after a paragraph), the Normal style and three heading
 * levels (paragraph styles Heading1 to Heading3, which Word's navigation pane, its table of
 * contents and converters such as mammoth recognise as headings). Every element follows the order
 * of the ECMA-376 schema (Word refuses misordered elements that other readers accept).
 */
import { escapeXml, XML_DECLARATION } from '../xml.ts';

export const NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** The paragraph styles a paragraph can name. */
export type ParagraphStyle = 'Heading1' | 'Heading2' | 'Heading3';

/** Text defaults of a document. */
export interface TextDefaults {
  /** Font of every script (Latin, Vietnamese letters, East Asian, complex scripts). */
  font: string;
  /** Size in points (may be a half point: 13.5). */
  size: number;
  /** Language of the text for spelling and hyphenation (BCP 47: `vi-VN`). */
  language: string;
  /** Space after each paragraph, in points. */
  spacingAfter: number;
}

/** A size in points as WordprocessingML writes it: half-points. */
export function halfPoints(points: number): number {
  return Math.round(points * 2);
}

/**
 * `<w:rFonts>` naming the font for all four font slots: `ascii` (U+0000–U+007F), `hAnsi` (the rest
 * of Latin, where most Vietnamese letters such as ạ, ế, ữ are, U+1EA0–U+1EF9), `eastAsia` and `cs`
 * (complex scripts). A slot left out falls back to the theme or the application's font, and a
 * Vietnamese word would then be set in two fonts.
 */
export function fontsXml(font: string): string {
  const f = escapeXml(font);
  return `<w:rFonts w:ascii="${f}" w:hAnsi="${f}" w:eastAsia="${f}" w:cs="${f}"/>`;
}

/**
 * Headings: bold, black, the body's size (Vietnamese administrative documents: "I.", "1.", then
 * "1.1." or "a)"); level 3 also italic.
 */
const HEADINGS: { id: ParagraphStyle; name: string; level: number; italics: boolean }[] = [
  { id: 'Heading1', name: 'heading 1', level: 0, italics: false },
  { id: 'Heading2', name: 'heading 2', level: 1, italics: false },
  { id: 'Heading3', name: 'heading 3', level: 2, italics: true },
];

/** CT_Styles: docDefaults, then the styles; CT_Style's children in the schema's order. */
export function stylesXml(defaults: TextDefaults): string {
  const size = halfPoints(defaults.size);
  const sizeXml = `<w:sz w:val="${size}"/><w:szCs w:val="${size}"/>`;
  const headings = HEADINGS.map(
    (h) =>
      `<w:style w:type="paragraph" w:styleId="${h.id}">` +
      `<w:name w:val="${h.name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>` +
      '<w:uiPriority w:val="9"/><w:qFormat/>' +
      // keepNext: a heading never ends a page, away from its first paragraph.
      `<w:pPr><w:keepNext/><w:outlineLvl w:val="${h.level}"/></w:pPr>` +
      `<w:rPr>${fontsXml(defaults.font)}<w:b/><w:bCs/>${h.italics ? '<w:i/><w:iCs/>' : ''}` +
      `<w:color w:val="000000"/>${sizeXml}</w:rPr>` +
      '</w:style>',
  );
  return (
    XML_DECLARATION +
    `<w:styles xmlns:w="${NS_W}">` +
    '<w:docDefaults>' +
    `<w:rPrDefault><w:rPr>${fontsXml(defaults.font)}${sizeXml}` +
    `<w:lang w:val="${escapeXml(defaults.language)}"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="${Math.round(defaults.spacingAfter * 20)}"/></w:pPr></w:pPrDefault>` +
    '</w:docDefaults>' +
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
    headings.join('') +
    '</w:styles>'
  );
}

/**
 * CT_Settings: a default tab stop of 1.27 cm, and compatibility mode 15 (Word 2013 and later):
 * without it Word opens the file in "Compatibility Mode" and lays it out as Word 2007 would.
 */
export function settingsXml(): string {
  return (
    XML_DECLARATION +
    `<w:settings xmlns:w="${NS_W}">` +
    '<w:defaultTabStop w:val="720"/>' +
    '<w:characterSpacingControl w:val="doNotCompress"/>' +
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
    '</w:settings>'
  );
}
