/**
 * Group `plan-import`: reading a 200-page plan document (.docx and .pdf) as the importer does —
 * bounds, archive checks, text, and the structure with every field's source — against extracting
 * its text alone with the same library, each in its own process, in the same run; and the peak
 * RSS of the import at 200 pages against 50 pages (memory should stay flat in the page count).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDF_FONT, readSource, sourceToDocx, sourceToPdf } from '#test/support/plan-corpus.ts';
import { bundleWorker } from './lambda-bundle.ts';
import {
  atMost,
  type BenchContext,
  fmtBytes,
  fmtMs,
  fmtNumber,
  fmtRatio,
  type GroupResult,
  ROOT,
  type Row,
  ratioAtMost,
  runWorker,
} from './support.ts';

/** The reading of the structure may cost at most as much again as the text extraction. */
const MAX_TIME_RATIO = 2;
/** The import's peak RSS at 200 pages may be at most this multiple of its peak at 50 pages. */
const MAX_RSS_GROWTH = 1.5;
/** The plan's body repeated this many times gives 200 A5 pages of the PDF (and 50). */
const REPEATS_200_PAGES = 150;
const REPEATS_50_PAGES = 38;

interface Run {
  ms: number;
  cpuMs: number;
  maxRss: number;
  chars: number;
  groups: number;
}

export async function runPlanImport(ctx: BenchContext): Promise<GroupResult> {
  const source = readSource(
    readFileSync(join(ROOT, 'test/fixtures/plans/corpus/sources/pdf-ke-hoach-nhieu-trang.src.txt'), 'utf8'),
  );
  const repeated = (times: number) => ({
    ...source,
    body: Array.from({ length: times }, () => source.body).flat(),
  });
  const fontBytes = new Uint8Array(readFileSync(PDF_FONT));
  const files: Record<string, string> = {};
  const pages: Record<string, number> = {};
  const { PDFDocument } = await import('pdf-lib');
  for (const [name, times] of [
    ['200', REPEATS_200_PAGES],
    ['50', REPEATS_50_PAGES],
  ] as const) {
    files[`docx${name}`] = join(ctx.tmp, `plan-${name}.docx`);
    writeFileSync(files[`docx${name}`]!, await sourceToDocx(repeated(times)));
    files[`pdf${name}`] = join(ctx.tmp, `plan-${name}.pdf`);
    const pdf = await sourceToPdf(source, { repeatBody: times, fontBytes });
    pages[name] = (await PDFDocument.load(pdf)).getPageCount();
    writeFileSync(files[`pdf${name}`]!, pdf);
  }
  // Bundled with the Lambda settings, as the document-reader runs it (tsx would transpile pdf.js's
  // 2 MB in the measured process, ~400 MB of RSS that no deployed function has).
  const worker = await bundleWorker('plan-import', ctx.tmp);
  const run = (mode: 'extract' | 'import', file: string) =>
    runWorker<Run>(worker, [mode, file], process.env, 300_000, ['--expose-gc']);

  const rows: Row[] = [];
  const notes: string[] = [];
  for (const kind of ['docx', 'pdf'] as const) {
    ctx.log(`${kind}: extract and import of 200 pages, import of 50 pages, each in its own process…`);
    const extract = await run('extract', files[`${kind}200`]!);
    const imported = await run('import', files[`${kind}200`]!);
    const small = await run('import', files[`${kind}50`]!);
    const time = ratioAtMost(
      `.${kind}, ${pages['200']} pages (${fmtBytes(readFileSync(files[`${kind}200`]!).length)}, ${fmtNumber(imported.chars)} characters): import time`,
      imported.ms,
      { label: 'text alone', value: extract.ms },
      MAX_TIME_RATIO,
      fmtMs,
    );
    rows.push({
      ...time,
      figure: `${time.figure} (CPU ${fmtMs(imported.cpuMs)})`,
      anchor: `${time.anchor} (CPU ${fmtMs(extract.cpuMs)})`,
    });
    rows.push(
      atMost(
        `.${kind}, ${pages['200']} pages: import peak RSS`,
        imported.maxRss,
        small.maxRss * MAX_RSS_GROWTH,
        fmtBytes,
        {
          label: `${pages['50']} pages`,
          value: small.maxRss,
        },
      ),
    );
    notes.push(
      `.${kind}: the text alone took ${fmtMs(extract.ms)} (CPU ${fmtMs(extract.cpuMs)}) (peak RSS ${fmtBytes(extract.maxRss)}); the import ${fmtMs(imported.ms)} (CPU ${fmtMs(imported.cpuMs)}, ${fmtRatio(imported.cpuMs / extract.cpuMs)} the extraction's CPU), ${imported.groups} task groups found; at ${pages['50']} pages the import took ${fmtMs(small.ms)}, peak RSS ${fmtBytes(small.maxRss)}.`,
    );
  }
  notes.unshift(
    `A generated plan (test/support/plan-corpus.ts, the source of the corpus's pdf-ke-hoach-nhieu-trang, its body repeated ${REPEATS_200_PAGES} times: ${pages['200']} A5 pages in the PDF, 10 pt, the same text in the .docx; ${REPEATS_50_PAGES} times for ${pages['50']} pages). Each figure is the best of three runs in its own process (bench/workers/plan-import.ts bundled with the Lambda settings, run with \`--expose-gc\`). "Import" is what the importer does with the file (readPlanDocument: size bounds, the ZIP checks of a .docx, the text; then parsePlanDraft: every field with its source line); "text alone" is the same library's extraction only (extractDocxText, extractPdfText). The peak-RSS target: the import of ${pages['200']} pages may use at most ${fmtRatio(MAX_RSS_GROWTH)} the peak of ${pages['50']} pages (Node's own ~50 MB included).`,
  );
  return { rows, notes };
}
