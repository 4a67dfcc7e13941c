/**
 * Writes docs/openapi.yaml from the route table (functions/http/openapi.ts): `npm run
 * build:openapi` after changing a route. test/unit/http/openapi.test.ts fails while the file
 * differs from what the table gives. Build-time only: no function imports this (nor `yaml`, a
 * development dependency).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Document } from 'yaml';
import { openApiDocument } from './openapi.ts';

/** The generated file. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));

/** The document as YAML: no anchors or aliases, no folded lines, a header naming its source. */
export function renderOpenApiYaml(): string {
  const document = new Document(openApiDocument(), { aliasDuplicateObjects: false });
  document.commentBefore =
    ' Generated from the route table (functions/http/routes.ts) by `npm run build:openapi`.\n Do not edit: change the table and run the script again.';
  return document.toString({ lineWidth: 0 });
}

/** Writes the file when its text changed; says whether it did. */
export async function writeOpenApiFile(): Promise<boolean> {
  const text = renderOpenApiYaml();
  const current = await readFile(OPENAPI_FILE, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await writeFile(OPENAPI_FILE, text);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const changed = await writeOpenApiFile();
  process.stdout.write(`docs/openapi.yaml ${changed ? 'written' : 'unchanged'}\n`);
}
