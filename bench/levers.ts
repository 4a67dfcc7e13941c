/**
 * Group `levers` (not in the default run: `npm run bench -- levers`): what each lever applied to
 * the Lambda bundles gives, measured now rather than remembered: each one against the way it
 * replaced, bundled with the same settings; what every bundle is made of; and the floor of any
 * function that talks to DynamoDB on this machine, with its cold import.
 */
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { buildAnchor, FUNCTIONS, IMPORT_ROUNDS, measureImports } from './bundles.ts';
import { bundleLambda } from './lambda-bundle.ts';
import {
  type BenchContext,
  fmtBytes,
  fmtMs,
  fmtNumber,
  fmtRatio,
  type GroupResult,
  info,
  type Row,
} from './support.ts';

/** Bytes per package (or project folder) in an output. */
function byPackage(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      const key = m ? m[1]! : path.split('/').slice(0, 2).join('/');
      totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Each applied lever: the way it replaced and the way the sources go now, as two small entries. */
const PAIRS = [
  {
    what: 'presigned POST + GET without the S3 client (shared/adapters/s3/s3-signing.ts) vs S3Client + @aws-sdk/s3-presigned-post + s3-request-presigner',
    before: 'bench/shims/presign-sdk.ts',
    after: 'bench/shims/presign-own.ts',
    where: 'public-api, admin-api',
  },
  {
    what: 'exporter Event invoke as one signed request (shared/adapters/export-invoker.ts) vs LambdaClient + InvokeCommand',
    before: 'bench/shims/invoke-sdk.ts',
    after: 'bench/shims/invoke-own.ts',
    where: 'admin-api, planner',
  },
  {
    what: 'zod/mini vs zod (classic): the same kinds of schema as the sources use',
    before: 'bench/shims/zod-classic.ts',
    after: 'bench/shims/zod-mini.ts',
    where: 'every function',
  },
];

export async function runLevers(ctx: BenchContext): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];

  ctx.log('each function with and without environment-only credentials…');
  const composition: Record<string, Metafile> = {};
  const keepNamesCost: string[] = [];
  for (const f of FUNCTIONS) {
    const entry = `functions/${f.entry}.ts`;
    const withAlias = await bundleLambda(entry, join(ctx.tmp, 'with', f.entry));
    const fullChain = await bundleLambda(entry, join(ctx.tmp, 'without', f.entry), [], { alias: {} });
    const noNames = await bundleLambda(entry, join(ctx.tmp, 'no-names', f.entry), [], { keepNames: false });
    composition[f.entry] = withAlias.metafile;
    keepNamesCost.push(`${f.entry} −${fmtBytes(withAlias.bytes - noNames.bytes)}`);
    rows.push(
      info(
        `${f.entry}: credentials from the environment only (infra/bundling/env-credentials.ts) vs the SDK's full default chain`,
        fmtBytes(withAlias.bytes),
        `full chain ${fmtBytes(fullChain.bytes)}`,
        fmtRatio(withAlias.bytes / fullChain.bytes),
      ),
    );
  }

  ctx.log('the other levers, each against what it replaced…');
  for (const pair of PAIRS) {
    const before = await bundleLambda(pair.before, join(ctx.tmp, 'pair', pair.before));
    const after = await bundleLambda(pair.after, join(ctx.tmp, 'pair', pair.after));
    rows.push(
      info(
        `${pair.what} [${pair.where}]`,
        fmtBytes(after.bytes),
        fmtBytes(before.bytes),
        `${fmtRatio(after.bytes / before.bytes)} (−${fmtBytes(before.bytes - after.bytes)})`,
      ),
    );
  }

  ctx.log('floors and cold imports…');
  const floorEntry = 'bench/shims/dynamodb-floor.ts';
  const floor = await bundleLambda(floorEntry, join(ctx.tmp, 'floor'), [], { alias: {} });
  const floorEnv = await bundleLambda(floorEntry, join(ctx.tmp, 'floor-env'));
  const anchor = await buildAnchor(ctx.tmp);
  const ms = await measureImports({
    'DynamoDB GetItem only': floor.file,
    'DynamoDB GetItem only, env credentials': floorEnv.file,
    '(empty handler)': anchor.file,
  });
  const anchorMs = ms['(empty handler)']!;
  const floorMs = ms['DynamoDB GetItem only, env credentials']!;
  rows.push(
    info(
      'floor: a handler with only DynamoDBDocumentClient + GetCommand, full credential chain',
      `${fmtBytes(floor.bytes)}, ${fmtMs(ms['DynamoDB GetItem only']!)}`,
      `empty ${fmtMs(anchorMs)}`,
      fmtRatio(ms['DynamoDB GetItem only']! / anchorMs),
    ),
    info(
      'floor with environment-only credentials (as the functions are built)',
      `${fmtBytes(floorEnv.bytes)}, ${fmtMs(floorMs)}`,
      `empty ${fmtMs(anchorMs)}`,
      fmtRatio(floorMs / anchorMs),
    ),
  );

  for (const f of FUNCTIONS) {
    const metafile = composition[f.entry];
    if (!metafile) continue;
    notes.push(
      `${f.entry}, bytes in the minified output per package: ${byPackage(metafile)
        .slice(0, 12)
        .map(([k, v]) => `${k} ${fmtBytes(v)}`)
        .join(', ')}.`,
    );
  }
  notes.push(
    `Not applied: esbuild \`keepNames: false\` would save ${keepNamesCost.join(', ')} (and ~5–10 ms of cold import), but domain errors take their \`name\` from their class (shared/errors.ts) and logs and the HTTP adapter would then show minified names; each error class would have to spell its name out first.`,
    `Each lever is measured on its own: the function bundled with and without the credentials alias, and for the others two small entries (bench/shims/) doing the same thing the old way and the new way, bundled with the Lambda settings. Cold imports: median of ${IMPORT_ROUNDS} fresh processes, interleaved, as in the \`bundles\` group.`,
    `The floor of any function that talks to DynamoDB — a handler holding nothing but DynamoDBDocumentClient and one command, built as the functions are — imports in ${fmtMs(floorMs)} here (${fmtRatio(floorMs / anchorMs)} the empty handler), ${fmtNumber((floorMs / 80) * 100, 0)} % of the 80 ms budget before any code of ours. Medians move by ±20 % between runs on this shared machine; the ratio to the empty handler is the figure to carry to Lambda (arm64, Node 24), where the absolute time has to be read in the functions' Init Duration (REPORT log line).`,
  );
  return { rows, notes };
}
