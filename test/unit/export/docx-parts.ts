/**
 * Reading a docx back at the package level, for the document writer's tests: the parts (yauzl) and
 * the strict XML parsing of ./xlsx-parts.ts, and the ECMA-376 sequences of WordprocessingML that
 * the writer's parts must follow (Word refuses misordered elements that other readers accept).
 */
import mammoth from 'mammoth';
import { descendants, orderViolations, parseXml, type XmlElement, xlsxParts } from './xlsx-parts.ts';

export { descendants, orderViolations, parseXml, type XmlElement };

/** Every part of the package, by name, in the ZIP's order (a docx is a ZIP like an xlsx). */
export const docxParts = xlsxParts;

/** The document's text as mammoth reads it: paragraphs separated by a blank line. */
export async function docxText(docx: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer: docx })).value;
}

/** The document as mammoth's HTML: heading styles as h1/h2, bold as strong, italics as em. */
export async function docxHtml(docx: Buffer): Promise<string> {
  const { value, messages } = await mammoth.convertToHtml({ buffer: docx });
  // An unknown style or element would be reported here.
  if (messages.length) throw new Error(`mammoth: ${messages.map((m) => m.message).join('; ')}`);
  return value;
}

/** ECMA-376 Part 1 (transitional schema) sequences of the elements the writer produces. */
export const WORD_ORDER = {
  document: ['background', 'body'],
  // Block content (paragraphs and tables, in any order: checked apart), then the last section's properties.
  body: ['p', 'sectPr'],
  tbl: ['bookmarkStart', 'tblPr', 'tblGrid', 'tr'],
  tblPr: [
    'tblStyle',
    'tblpPr',
    'tblOverlap',
    'bidiVisual',
    'tblStyleRowBandSize',
    'tblStyleColBandSize',
    'tblW',
    'jc',
    'tblCellSpacing',
    'tblInd',
    'tblBorders',
    'shd',
    'tblLayout',
    'tblCellMar',
    'tblLook',
    'tblCaption',
    'tblDescription',
  ],
  tblBorders: ['top', 'left', 'start', 'bottom', 'right', 'end', 'insideH', 'insideV'],
  tblCellMar: ['top', 'left', 'start', 'bottom', 'right', 'end'],
  tblGrid: ['gridCol'],
  tr: ['tblPrEx', 'trPr', 'tc'],
  tc: ['tcPr', 'p'],
  tcPr: [
    'cnfStyle',
    'tcW',
    'gridSpan',
    'hMerge',
    'vMerge',
    'tcBorders',
    'shd',
    'noWrap',
    'tcMar',
    'textDirection',
    'tcFitText',
    'vAlign',
    'hideMark',
  ],
  p: ['pPr', 'r'],
  pPr: [
    'pStyle',
    'keepNext',
    'keepLines',
    'pageBreakBefore',
    'framePr',
    'widowControl',
    'numPr',
    'suppressLineNumbers',
    'pBdr',
    'shd',
    'tabs',
    'suppressAutoHyphens',
    'kinsoku',
    'wordWrap',
    'overflowPunct',
    'topLinePunct',
    'autoSpaceDE',
    'autoSpaceDN',
    'bidi',
    'adjustRightInd',
    'snapToGrid',
    'spacing',
    'ind',
    'contextualSpacing',
    'mirrorIndents',
    'suppressOverlap',
    'jc',
    'textDirection',
    'textAlignment',
    'textboxTightWrap',
    'outlineLvl',
    'divId',
    'cnfStyle',
    'rPr',
    'sectPr',
    'pPrChange',
  ],
  // EG_RPrBase is a choice in the schema, but Word writes (and expects) this order.
  rPr: [
    'rStyle',
    'rFonts',
    'b',
    'bCs',
    'i',
    'iCs',
    'caps',
    'smallCaps',
    'strike',
    'dstrike',
    'outline',
    'shadow',
    'emboss',
    'imprint',
    'noProof',
    'snapToGrid',
    'vanish',
    'webHidden',
    'color',
    'spacing',
    'w',
    'kern',
    'position',
    'sz',
    'szCs',
    'highlight',
    'u',
    'effect',
    'bdr',
    'shd',
    'fitText',
    'vertAlign',
    'rtl',
    'cs',
    'em',
    'lang',
    'eastAsianLayout',
    'specVanish',
    'oMath',
  ],
  sectPr: [
    'headerReference',
    'footerReference',
    'footnotePr',
    'endnotePr',
    'type',
    'pgSz',
    'pgMar',
    'paperSrc',
    'pgBorders',
    'lnNumType',
    'pgNumType',
    'cols',
    'formProt',
    'vAlign',
    'noEndnote',
    'titlePg',
    'textDirection',
    'bidi',
    'rtlGutter',
    'docGrid',
    'printerSettings',
    'sectPrChange',
  ],
  styles: ['docDefaults', 'latentStyles', 'style'],
  docDefaults: ['rPrDefault', 'pPrDefault'],
  style: [
    'name',
    'aliases',
    'basedOn',
    'next',
    'link',
    'autoRedefine',
    'hidden',
    'uiPriority',
    'semiHidden',
    'unhideWhenUsed',
    'qFormat',
    'locked',
    'personal',
    'personalCompose',
    'personalReply',
    'rsid',
    'pPr',
    'rPr',
    'tblPr',
    'trPr',
    'tcPr',
    'tblStylePr',
  ],
  // CT_Settings is long: its elements up to compat, the ones around those the writer uses.
  settings: [
    'writeProtection',
    'view',
    'zoom',
    'removePersonalInformation',
    'removeDateAndTime',
    'doNotDisplayPageBoundaries',
    'displayBackgroundShape',
    'mirrorMargins',
    'gutterAtTop',
    'hideSpellingErrors',
    'hideGrammaticalErrors',
    'proofState',
    'attachedTemplate',
    'documentProtection',
    'defaultTabStop',
    'autoHyphenation',
    'hyphenationZone',
    'evenAndOddHeaders',
    'doNotShadeFormData',
    'noPunctuationKerning',
    'characterSpacingControl',
    'printTwoOnOne',
    'updateFields',
    'footnotePr',
    'endnotePr',
    'compat',
    'docVars',
    'rsids',
    'themeFontLang',
    'decimalSymbol',
    'listSeparator',
  ],
} as const;

/** The elements a run holds after its properties: text, line breaks, tabs. */
const RUN_CONTENT = new Set(['t', 'br', 'tab']);

/**
 * Every schema-order problem of a WordprocessingML part (document, styles or settings), with the
 * `w:` prefix dropped from names. Empty when every element the writer produces is in order.
 */
export function wordOrderViolations(part: XmlElement): string[] {
  const problems: string[] = [];
  const local = (e: XmlElement): XmlElement => ({
    ...e,
    name: e.name.replace(/^w:/, ''),
    children: e.children.map(local),
  });
  const walk = (e: XmlElement) => {
    const order = (WORD_ORDER as Record<string, readonly string[]>)[e.name];
    if (e.name === 'body') {
      // Paragraphs and tables in any order, the section's properties last.
      e.children.forEach((c, i) => {
        const last = i === e.children.length - 1;
        if (c.name === 'sectPr' ? !last : c.name !== 'p' && c.name !== 'tbl')
          problems.push(`<${c.name}> at ${i} in <body>`);
      });
    } else if (e.name === 'r') {
      // rPr first, then text, breaks and tabs in any order.
      e.children.forEach((c, i) => {
        if (c.name === 'rPr' ? i !== 0 : !RUN_CONTENT.has(c.name))
          problems.push(`<${c.name}> at ${i} in <r>`);
      });
    } else if (order) {
      problems.push(...orderViolations(e, order));
    }
    e.children.forEach(walk);
  };
  walk(local(part));
  return problems;
}
