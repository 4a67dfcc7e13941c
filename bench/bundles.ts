/**
 * Group `bundles`: each function's Lambda bundle, built by the CDK construct itself, its minified
 * size (index.mjs, without the source map) and its median cold import time in fresh `node`
 * processes, beside the floor (the anchor): a handler that holds nothing but the DynamoDB
 * document client and one GetItem, bundled with the same settings. The empty handler is measured
 * too, as context for the floor.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambda, byPackage, LAMBDA_ENV } from './lambda-bundle.ts';
import {
  atMost,
  type BenchContext,
  failedRow,
  fmtBytes,
  fmtMs,
  fmtRatio,
  type GroupResult,
  info,
  KIB,
  median,
  pairedRatio,
  type Row,
  ratioAtMost,
  runCommand,
} from './support.ts';

export interface FunctionTarget {
  entry: string;
  maxBytes: number;
  /**
   * Cold import target as a multiple of the floor's; none for the exporter (invoked
   * asynchronously, minutes of work).
   */
  maxImportRatio: number | undefined;
  /** What the function holds that the others do not: printed when it misses the size target. */
  heavy?: string;
}

/** Every function's minified bundle: at most this many bytes. */
export const MAX_BYTES = 450 * KIB;
/** Every synchronous function's cold import: at most this multiple of the floor's. */
export const MAX_IMPORT_RATIO = 1.5;

export const FUNCTIONS: FunctionTarget[] = [
  { entry: 'public-api', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  { entry: 'admin-api', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  {
    entry: 'setup-api',
    maxBytes: MAX_BYTES,
    maxImportRatio: MAX_IMPORT_RATIO,
    heavy:
      "the readers of the committee's plan files, which only it and units-api have: busboy (multipart forms) and the plan parser, not the readers of .pdf, .docx and .xlsx (pdf.js, yauzl, saxes: the document-reader function's), on top of the floor every committee function shares (the DynamoDB client, the Secrets Manager client, Powertools, valibot, the route table and the page frame)",
  },
  {
    entry: 'units-api',
    maxBytes: MAX_BYTES,
    maxImportRatio: MAX_IMPORT_RATIO,
    heavy:
      "the units' readers and writer, which only this function has: busboy (multipart forms), csv-parse (units CSV), the .xlsx writer (units list, audit log), on top of the floor every committee function shares",
  },
  {
    entry: 'on-upload',
    maxBytes: MAX_BYTES,
    maxImportRatio: MAX_IMPORT_RATIO,
    heavy:
      'the whole S3 client (@aws-sdk/client-s3 with its operation schemas, checksums, S3 middleware and XML), because it really uses S3: GetObject streamed through SHA-256 and the magic-byte checks, HeadObject, CopyObject and DeleteObject to quarantine a refused file. The presigning functions dropped the client because a signature is local computation; doing the same here would mean owning an S3 client (streaming GETs, CopyObject answering 200 with an error body, retries)',
  },
  { entry: 'planner', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  { entry: 'planner-tick', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  { entry: 'mailer', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  { entry: 'ses-events', maxBytes: MAX_BYTES, maxImportRatio: MAX_IMPORT_RATIO },
  { entry: 'exporter', maxBytes: MAX_BYTES, maxImportRatio: undefined },
];

/** Fresh processes per bundle; rounds are interleaved so that a noisy minute hits every bundle alike. */
export const IMPORT_ROUNDS = 15;

/** The handler of the floor: the DynamoDB document client and one GetItem, nothing else. */
export const FLOOR_ENTRY = 'bench/shims/dynamodb-floor.ts';

/** Builds the empty-handler bundle with the Lambda settings. */
export async function buildAnchor(tmp: string): Promise<{ file: string; bytes: number }> {
  const entry = join(tmp, 'empty-handler.ts');
  await writeFile(entry, 'export const handler = async () => ({});\n');
  return bundleLambda(entry, join(tmp, 'anchor'));
}

/**
 * Builds the floor with the Lambda settings (environment-only credentials included, as every
 * function is built): the anchor of the cold import targets.
 */
export async function buildFloor(tmp: string): Promise<{ file: string; bytes: number }> {
  return bundleLambda(FLOOR_ENTRY, join(tmp, 'floor'));
}

/** Median time of `await import(bundle)`: {@link sampleImports}' samples, each bundle's median. */
export async function measureImports(
  files: Record<string, string>,
  rounds = IMPORT_ROUNDS,
): Promise<Record<string, number>> {
  const samples = await sampleImports(files, rounds);
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

/**
 * Each bundle's `await import()` times, one per round, in a fresh `node` per run, with the
 * environment Lambda gives the function (NODE_OPTIONS=--enable-source-maps included) and dummy
 * resource names. Rounds are interleaved across bundles: sample `i` of every bundle was taken in
 * the same few seconds.
 */
export async function sampleImports(
  files: Record<string, string>,
  rounds = IMPORT_ROUNDS,
): Promise<Record<string, number[]>> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...LAMBDA_ENV };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, file] of Object.entries(files)) {
      const code = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`;
      const result = await runCommand(process.execPath, ['--input-type=module', '-e', code], { env });
      const ms = Number(result.stdout.trim().split('\n').pop());
      if (result.code !== 0 || !Number.isFinite(ms)) {
        throw new Error(
          `import of ${name} failed: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        );
      }
      samples[name]!.push(ms);
    }
  }
  return samples;
}

/** Bundles through the CDK construct (a tsx child: aws-cdk-lib stays out of this process). */
async function cdkBundles(
  outdir: string,
  entries: string[],
): Promise<{
  assets: Record<string, string>;
  errors: Record<string, string>;
  mirrored: Record<string, boolean>;
}> {
  const result = await runCommand(
    process.execPath,
    ['--import', 'tsx', 'bench/workers/cdk-bundles.ts', outdir, ...entries],
    { timeoutMs: 300_000 },
  );
  const last = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !last.startsWith('{')) {
    throw new Error(`CDK bundling failed: ${result.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  }
  const parsed = JSON.parse(last) as {
    assets: Record<string, string>;
    errors: Record<string, string>;
    mirrored: Record<string, boolean>;
  };
  // esbuild's own messages (the reason a bundle failed) went to stderr.
  for (const entry of Object.keys(parsed.errors)) {
    const reason = result.stderr.split('\n').find((l) => l.includes('[ERROR]'));
    if (reason) parsed.errors[entry] = `${parsed.errors[entry]} (${reason.replace(/.*\[ERROR\]\s*/, '')})`;
  }
  return parsed;
}

export async function runBundles(ctx: BenchContext): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  ctx.log('bundling through the CDK construct (BaocaoFunction)…');
  const built = await cdkBundles(
    join(ctx.tmp, 'cdk'),
    FUNCTIONS.map((f) => f.entry),
  );
  for (const [entry, message] of Object.entries(built.errors)) {
    rows.push(failedRow(`${entry}: bundle`, new Error(message)));
  }
  const functions = FUNCTIONS.filter((f) => built.assets[f.entry]);
  const entries = functions.map((f) => f.entry);
  const files: Record<string, string> = {};
  for (const entry of entries) files[entry] = join(built.assets[entry]!, 'index.mjs');

  const identical = entries.filter((e) => built.mirrored[e]);
  const different = entries.filter((e) => !built.mirrored[e]);
  rows.push({
    what: 'bundle settings = BaocaoFunction’s (byte-identical index.mjs)',
    figure: `${identical.length}/${entries.length}`,
    anchor: '–',
    ratio: '–',
    target: `${entries.length}/${entries.length}`,
    ok: different.length === 0,
  });
  if (different.length > 0) {
    notes.push(
      `The settings in bench/lambda-bundle.ts did not reproduce the construct's bundle of ${different.join(', ')} (built a second apart, so a source edited in between also shows here): compare them with infra/constructs/baocao-function.ts.`,
    );
  }

  const FLOOR = '(floor: DynamoDB GetItem only)';
  const EMPTY = '(empty handler)';
  const floor = await buildFloor(ctx.tmp);
  const empty = await buildAnchor(ctx.tmp);
  files[FLOOR] = floor.file;
  files[EMPTY] = empty.file;
  ctx.log(`cold imports: ${IMPORT_ROUNDS} fresh node processes per bundle…`);
  const samples = await sampleImports(files);
  const imports = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  // Each function's ratio to the floor: the median of its rounds' ratios (bench/support.ts).
  const ratios = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [k, pairedRatio(v, samples[FLOOR]!)]),
  );
  const floorMs = imports[FLOOR]!;
  const emptyMs = imports[EMPTY]!;
  const floorBytes = (await stat(floor.file)).size;
  const floorAnchor = { label: 'floor', value: floorMs };

  rows.push(
    info(
      'floor: a handler with only DynamoDBDocumentClient + one GetItem (bench/shims/dynamodb-floor.ts), bundled as the functions are',
      `${fmtBytes(floorBytes)}, ${fmtMs(floorMs)}`,
      `empty handler ${fmtBytes((await stat(empty.file)).size)}, ${fmtMs(emptyMs)}`,
      fmtRatio(floorMs / emptyMs),
    ),
  );
  const sizes: Record<string, number> = {};
  for (const f of functions) {
    const bytes = (await stat(files[f.entry]!)).size;
    sizes[f.entry] = bytes;
    rows.push(
      atMost(`${f.entry}: bundle size`, bytes, f.maxBytes, fmtBytes, { label: 'floor', value: floorBytes }),
    );
    const ms = imports[f.entry]!;
    const what = `${f.entry}: cold import (median of ${IMPORT_ROUNDS})`;
    rows.push(
      f.maxImportRatio === undefined
        ? info(what, fmtMs(ms), `floor ${fmtMs(floorMs)}`, fmtRatio(ratios[f.entry]!))
        : ratioAtMost(what, ms, floorAnchor, f.maxImportRatio, fmtMs, ratios[f.entry]!),
    );
  }
  notes.push(
    `Bundles are built by \`BaocaoFunction\` itself (aws-cdk-lib's NodejsFunction running the local esbuild: ESM, target node24, platform node, minified, tree-shaken, UTF-8 output (\`charset: 'utf8'\`), \`mainFields: ['module','main']\`, \`keepNames\`, the \`createRequire\` banner, the AWS SDK bundled, credentials from the environment only). Size is \`index.mjs\` without its source map (KB = 1,024 bytes); the target is in bytes, the floor's size beside it for scale. Cold import is \`await import()\` of the bundle in a fresh \`node\` (Node ${process.versions.node} here; Lambda runs Node 24), with the function's Lambda environment (\`NODE_OPTIONS=--enable-source-maps\`, Powertools variables, dummy table names), median of ${IMPORT_ROUNDS} runs interleaved across bundles. The ratio to the floor is the median of the ${IMPORT_ROUNDS} rounds' ratios (each function's import over the floor's of the same round, seconds apart), not the ratio of the two medians: the machine's speed drifts between rounds, and a pair sees the same drift.`,
    `The anchor of the cold imports is the floor of any function that talks to DynamoDB: bench/shims/dynamodb-floor.ts, a handler that imports DynamoDBDocumentClient and sends one GetCommand, bundled by bench/lambda-bundle.ts with the settings the first row checks against the construct (environment-only credentials included), its import timed in the same interleaved rounds. A function may take at most ${fmtRatio(MAX_IMPORT_RATIO)} the floor: the floor is what no function talking to DynamoDB can avoid (the SDK's client and the Node modules it loads: node:http, https, crypto, zlib), the margin is for what a function adds to it (our code, Powertools, valibot, the other AWS clients). The ratio is the figure to carry to Lambda (arm64, Node 24), whose Init Duration (REPORT log line) is where the absolute time has to be read; the empty handler (${fmtMs(emptyMs)}) is there to show what \`node\` itself costs on this machine. The exporter is invoked asynchronously for minutes of work: its import is shown, without a target.`,
    'The `levers` group measures what each applied lever gave and what every bundle is made of.',
  );

  const overweight = functions.filter((f) => sizes[f.entry]! > f.maxBytes);
  for (const f of overweight) {
    // The first row checks that these settings reproduce the construct's bundle byte for byte.
    const { metafile } = await bundleLambda(`functions/${f.entry}.ts`, join(ctx.tmp, 'composition', f.entry));
    const parts = byPackage(metafile)
      .slice(0, 8)
      .map(([k, v]) => `${k} ${fmtBytes(v)}`)
      .join(', ');
    notes.push(
      `${f.entry} is ${fmtBytes(sizes[f.entry]! - f.maxBytes)} above its size target${f.heavy ? `: it holds ${f.heavy}` : ''}. Largest parts of its output (esbuild metafile): ${parts}.`,
    );
  }
  const slow = functions.filter((f) => f.maxImportRatio !== undefined && ratios[f.entry]! > f.maxImportRatio);
  if (slow.length > 0) {
    notes.push(
      `Cold imports above ${fmtRatio(MAX_IMPORT_RATIO)} the floor (${fmtMs(floorMs)}): ${slow.map((f) => `${f.entry} ${fmtMs(imports[f.entry]!)} (${fmtRatio(ratios[f.entry]!)})`).join(', ')}. Import time follows bundle size (V8 compiling the module, then the Node modules the SDK loads); compare the ratios between runs, not the milliseconds.`,
    );
  }
  return { rows, notes };
}
