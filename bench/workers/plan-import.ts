/**
 * One plan document read in this process, for the `plan-import` group: `extract` gives its text
 * alone with the library the importer uses (docx-text.ts for .docx, pdf.js for .pdf), `import`
 * runs the whole reading of the importer (bounds, archive checks, text, structure: the draft with
 * every field and its source). `node --expose-gc plan-import.mjs extract|import FILE` (bundled)
 * → `{ ms, cpuMs, maxRss, chars, groups }`, the best of three runs in this process.
 */
import { readFileSync } from 'node:fs';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { extractDocxText } from '#shared/plans/docx-text.ts';
import { parsePlanDraft } from '#shared/plans/parse-plan.ts';
import { extractPdfText } from '#shared/plans/pdf-text.ts';
import { readPlanDocument } from '#shared/plans/read-plan-document.ts';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'extract' && mode !== 'import') || !file)
  throw new Error('usage: plan-import extract|import FILE');
const bytes = new Uint8Array(readFileSync(file));
const gc = (globalThis as { gc?: () => void }).gc;

async function once(): Promise<{ chars: number; groups: number }> {
  if (mode === 'extract') {
    const text = file!.endsWith('.pdf') ? await extractPdfText(bytes) : await extractDocxText(bytes);
    return { chars: text.length, groups: 0 };
  }
  const text = await readPlanDocument(bytes, file!, inProcessDocumentReader);
  const draft = parsePlanDraft(text);
  return { chars: text.length, groups: draft.taskGroups.length };
}

let best = Number.POSITIVE_INFINITY;
let bestCpu = 0;
let result = { chars: 0, groups: 0 };
for (let round = 0; round < 3; round++) {
  gc?.();
  const cpu = process.cpuUsage();
  const start = performance.now();
  result = await once();
  const ms = performance.now() - start;
  if (ms < best) {
    best = ms;
    const used = process.cpuUsage(cpu);
    bestCpu = (used.user + used.system) / 1000;
  }
}
console.log(
  JSON.stringify({ ms: best, cpuMs: bestCpu, maxRss: process.resourceUsage().maxRSS * 1024, ...result }),
);
