/**
 * Reading an xlsx back at the package level, for the workbook writer's tests: its parts (yauzl),
 * each parsed with saxes — a strict, namespace-aware XML 1.0 parser that rejects what Excel
 * rejects (malformed markup, characters XML cannot carry, unbound prefixes) — into a small tree.
 */
import { SaxesParser } from 'saxes';
import { readZip } from '#test/support/zip.ts';

export interface XmlElement {
  /** Qualified name as written (`worksheet`, `cp:coreProperties`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (not its descendants'). */
  text: string;
}

/** Parses `xml` strictly; throws on the first well-formedness or namespace error. */
export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) attributes[name] = attribute.value;
    const element: XmlElement = { name: tag.name, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  if (!root) throw new Error('no root element');
  return root;
}

/** Every part of the package, by name, in the ZIP's order. */
export async function xlsxParts(xlsx: Buffer): Promise<Map<string, string>> {
  const entries = await readZip(xlsx);
  return new Map(entries.map((e) => [e.name, (e.data ?? Buffer.alloc(0)).toString('utf8')]));
}

/** Every descendant of `element` named `name`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const child of e.children) {
      if (child.name === name) found.push(child);
      walk(child);
    }
  };
  walk(element);
  return found;
}

/**
 * The child names of `element` that break `order` (a schema's xsd:sequence): an unknown child, or
 * one that comes after a child that the schema puts later. Empty when the order is right.
 */
export function orderViolations(element: XmlElement, order: readonly string[]): string[] {
  const problems: string[] = [];
  let last = -1;
  for (const child of element.children) {
    const index = order.indexOf(child.name);
    if (index < 0) problems.push(`unexpected <${child.name}> in <${element.name}>`);
    else if (index < last) problems.push(`<${child.name}> after <${order[last]}> in <${element.name}>`);
    else last = index;
  }
  return problems;
}

/** ECMA-376 Part 1 (transitional schema) sequences of the parts the writer produces. */
export const SCHEMA_ORDER = {
  worksheet: [
    'sheetPr',
    'dimension',
    'sheetViews',
    'sheetFormatPr',
    'cols',
    'sheetData',
    'sheetCalcPr',
    'sheetProtection',
    'protectedRanges',
    'scenarios',
    'autoFilter',
    'sortState',
    'dataConsolidate',
    'customSheetViews',
    'mergeCells',
    'phoneticPr',
    'conditionalFormatting',
    'dataValidations',
    'hyperlinks',
    'printOptions',
    'pageMargins',
    'pageSetup',
    'headerFooter',
    'rowBreaks',
    'colBreaks',
    'customProperties',
    'cellWatches',
    'ignoredErrors',
    'smartTags',
    'drawing',
    'legacyDrawing',
    'legacyDrawingHF',
    'drawingHF',
    'picture',
    'oleObjects',
    'controls',
    'webPublishItems',
    'tableParts',
    'extLst',
  ],
  sheetView: ['pane', 'selection', 'pivotSelection', 'extLst'],
  workbook: [
    'fileVersion',
    'fileSharing',
    'workbookPr',
    'workbookProtection',
    'bookViews',
    'sheets',
    'functionGroups',
    'externalReferences',
    'definedNames',
    'calcPr',
    'oleSize',
    'customWorkbookViews',
    'pivotCaches',
    'smartTagPr',
    'smartTagTypes',
    'webPublishing',
    'fileRecoveryPr',
    'webPublishObjects',
    'extLst',
  ],
  styleSheet: [
    'numFmts',
    'fonts',
    'fills',
    'borders',
    'cellStyleXfs',
    'cellXfs',
    'cellStyles',
    'dxfs',
    'tableStyles',
    'colors',
    'extLst',
  ],
  border: ['left', 'right', 'top', 'bottom', 'diagonal', 'vertical', 'horizontal'],
  xf: ['alignment', 'protection', 'extLst'],
  patternFill: ['fgColor', 'bgColor'],
  c: ['f', 'v', 'is', 'extLst'],
} as const;
