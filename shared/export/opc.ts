/**
 * The Open Packaging Conventions parts every OOXML file needs (ECMA-376 part 2), shared by the
 * spreadsheet (xlsx/) and the report (docx/): content types, relationships, and the core and
 * extended document properties.
 */
import { escapeXml, XML_DECLARATION } from './xml.ts';

export const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
export const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
/** Prefix of the Office content types (`…officedocument.spreadsheetml.sheet.main+xml`, …). */
export const CT_PREFIX = 'application/vnd.openxmlformats-officedocument';

/** `[Content_Types].xml`: the defaults, `overrides` (part name → content type), then the properties. */
export function contentTypesXml(overrides: readonly [part: string, contentType: string][]): string {
  return (
    XML_DECLARATION +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    overrides.map(([part, type]) => `<Override PartName="${part}" ContentType="${type}"/>`).join('') +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    `<Override PartName="/docProps/app.xml" ContentType="${CT_PREFIX}.extended-properties+xml"/>` +
    '</Types>'
  );
}

/** A relationships part; ids are `rId1…` in the order given (parts refer to them by that id). */
export function relationshipsXml(rels: readonly [type: string, target: string][]): string {
  return (
    XML_DECLARATION +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    rels
      .map(([type, target], i) => `<Relationship Id="rId${i + 1}" Type="${type}" Target="${target}"/>`)
      .join('') +
    '</Relationships>'
  );
}

/** `_rels/.rels`: the main part (`xl/workbook.xml`, `word/document.xml`) and the properties. */
export function rootRelsXml(mainPart: string): string {
  return relationshipsXml([
    [`${NS_REL}/officeDocument`, mainPart],
    [`${NS_PKG_REL}/metadata/core-properties`, 'docProps/core.xml'],
    [`${NS_REL}/extended-properties`, 'docProps/app.xml'],
  ]);
}

/** `docProps/core.xml`; empty or missing values are left out. */
export function corePropsXml(
  props: { title?: string; creator?: string; description?: string },
  created: Date,
): string {
  const at = `${created.toISOString().slice(0, 19)}Z`;
  const optional = (tag: string, value: string | undefined) =>
    value ? `<${tag}>${escapeXml(value)}</${tag}>` : '';
  return (
    XML_DECLARATION +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"' +
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    optional('dc:title', props.title) +
    optional('dc:creator', props.creator) +
    optional('dc:description', props.description) +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/** `docProps/app.xml`: the application that wrote the file. */
export function appPropsXml(): string {
  return (
    XML_DECLARATION +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">' +
    '<Application>baocao</Application>' +
    '</Properties>'
  );
}
