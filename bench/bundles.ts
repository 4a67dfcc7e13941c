/**
 * Group `bundles`: each function's Lambda bundle, built by the CDK construct itself, its minified
 * size (index.mjs, without the source map) and its median cold import time in fresh `node`
 * processes, beside the bundle of an empty handler built with the same settings (the anchor).
 */
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleLambda, LAMBDA_ENV } from './lambda-bundle.ts';
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
  MIB,
  median,
  type Row,
  runCommand,
} from './support.ts';

export interface FunctionTarget {
  entry: string;
  maxBytes: number;
  /** Cold import target; none for the exporter (invoked asynchronously, minutes of work). */
  maxImportMs: number | undefined;
  /** What the function holds that the others do not: printed when it misses the size target. */
  heavy?: string;
}

export const FUNCTIONS: FunctionTarget[] = [
  { entry: 'public-api', maxBytes: 450 * KIB, maxImportMs: 80 },
  { entry: 'admin-api', maxBytes: 450 * KIB, maxImportMs: 80 },
  {
    entry: 'on-upload',
    maxBytes: 450 * KIB,
    maxImportMs: 80,
    heavy:
      'the whole S3 client (@aws-sdk/client-s3 with its operation schemas, checksums, S3 middleware and XML: ~140 KB), because it really uses S3: GetObject streamed through SHA-256 and the magic-byte checks, HeadObject, CopyObject and DeleteObject to quarantine a refused file. The presigning functions dropped the client because a signature is local computation; doing the same here would mean owning an S3 client (streaming GETs, CopyObject answering 200 with an error body, retries), which is not worth ~60 KB',
  },
  { entry: 'planner', maxBytes: 450 * KIB, maxImportMs: 80 },
  { entry: 'mailer', maxBytes: 450 * KIB, maxImportMs: 80 },
  { entry: 'ses-events', maxBytes: 450 * KIB, maxImportMs: 80 },
  { entry: 'exporter', maxBytes: 1.2 * MIB, maxImportMs: undefined },
];

/** Fresh processes per bundle; rounds are interleaved so that a noisy minute hits every bundle alike. */
export const IMPORT_ROUNDS = 11;

/** Builds the empty-handler anchor with the Lambda settings. */
export async function buildAnchor(tmp: string): Promise<{ file: string; bytes: number }> {
  const entry = join(tmp, 'empty-handler.ts');
  await writeFile(entry, 'export const handler = async () => ({});\n');
  return bundleLambda(entry, join(tmp, 'anchor'));
}

/**
 * Median time of `await import(bundle)` in a fresh `node` per run, with the environment Lambda
 * gives the function (NODE_OPTIONS=--enable-source-maps included) and dummy resource names.
 */
export async function measureImports(
  files: Record<string, string>,
  rounds = IMPORT_ROUNDS,
): Promise<Record<string, number>> {
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
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
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

  const anchor = await buildAnchor(ctx.tmp);
  files['(empty handler)'] = anchor.file;
  ctx.log(`cold imports: ${IMPORT_ROUNDS} fresh node processes per bundle…`);
  const imports = await measureImports(files);
  const anchorBytes = (await stat(anchor.file)).size;
  const anchorMs = imports['(empty handler)']!;

  for (const f of functions) {
    const bytes = (await stat(files[f.entry]!)).size;
    rows.push(
      atMost(`${f.entry}: bundle size`, bytes, f.maxBytes, fmtBytes, { label: 'empty', value: anchorBytes }),
    );
    const ms = imports[f.entry]!;
    rows.push(
      f.maxImportMs === undefined
        ? info(
            `${f.entry}: cold import (median of ${IMPORT_ROUNDS})`,
            fmtMs(ms),
            `empty ${fmtMs(anchorMs)}`,
            fmtRatio(ms / anchorMs),
          )
        : atMost(`${f.entry}: cold import (median of ${IMPORT_ROUNDS})`, ms, f.maxImportMs, fmtMs, {
            label: 'empty',
            value: anchorMs,
          }),
    );
  }
  notes.push(
    `Bundles are built by \`BaocaoFunction\` itself (aws-cdk-lib's NodejsFunction running the local esbuild: ESM, target node24, platform node, minified, tree-shaken, \`mainFields: ['module','main']\`, \`keepNames\`, the \`createRequire\` banner, the AWS SDK bundled). Size is \`index.mjs\` without its source map (KB = 1,024 bytes). Cold import is \`await import()\` of the bundle in a fresh \`node\` (Node ${process.versions.node} here; Lambda runs Node 24), with the function's Lambda environment (\`NODE_OPTIONS=--enable-source-maps\`, Powertools variables, dummy table names), median of ${IMPORT_ROUNDS} runs interleaved across bundles; the anchor is an empty handler bundled with the same settings.`,
    'The `levers` group below measures what each applied lever gave, what every bundle is made of, and the floor of any function that talks to DynamoDB on this machine.',
  );
  for (const f of functions) {
    const bytes = (await stat(files[f.entry]!)).size;
    if (bytes > f.maxBytes && f.heavy) {
      notes.push(`${f.entry} is ${fmtBytes(bytes - f.maxBytes)} above its size target: it holds ${f.heavy}.`);
    }
  }
  const slow = functions.filter((f) => f.maxImportMs !== undefined && imports[f.entry]! > f.maxImportMs);
  if (slow.length > 0) {
    notes.push(
      `Cold imports above ${fmtMs(80)}: ${slow.map((f) => `${f.entry} ${fmtMs(imports[f.entry]!)}`).join(', ')}. Import time follows bundle size (V8 compiling the module, then Node's own modules the SDK loads: node:http, https, crypto, zlib), and the \`levers\` group's floor — a handler that holds nothing but the DynamoDB document client — takes most of the 80 ms budget on this shared machine before any code of ours. The ratio to the empty handler is the figure to carry to Lambda (arm64, Node 24), whose Init Duration (REPORT log line) is where the absolute target has to be read.`,
    );
  }
  return { rows, notes };
}
