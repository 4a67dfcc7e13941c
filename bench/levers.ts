/**
 * Group `levers` (`npm run bench -- levers` alone): what each lever applied to
 * the Lambda bundles gives, measured now rather than remembered: each one against the way it
 * replaced, bundled with the same settings; what every bundle is made of; and the floor of any
 * function that talks to DynamoDB (the anchor of the `bundles` group's cold import targets) with
 * and without the credentials lever, with its cold import.
 */
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import {
  buildAnchor,
  FLOOR_ENTRY,
  FUNCTIONS,
  IMPORT_ROUNDS,
  MAX_IMPORT_RATIO,
  measureImports,
} from './bundles.ts';
import { bundleLambda, byPackage } from './lambda-bundle.ts';
import { type BenchContext, fmtBytes, fmtMs, fmtRatio, type GroupResult, info, type Row } from './support.ts';

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
    what: 'GetSecretValue as one signed request (shared/adapters/secrets-manager.ts) vs SecretsManagerClient + GetSecretValueCommand',
    before: 'bench/shims/secret-sdk.ts',
    after: 'bench/shims/secret-own.ts',
    where: 'every function that reads a key: public-api, admin-api, setup-api, planner',
  },
  {
    what: "zod/mini vs zod (classic): the same kinds of schema (zod/mini was the sources' validator until 2026-12)",
    before: 'bench/shims/zod-classic.ts',
    after: 'bench/shims/zod-mini.ts',
    where: 'every function',
  },
  {
    what: 'valibot vs zod/mini: the same schema (the sources moved to valibot in 2026-12; infra/config.ts, run by the CDK app only, keeps zod)',
    before: 'bench/shims/zod-mini.ts',
    after: 'bench/shims/valibot.ts',
    where: 'every function',
  },
];

export async function runLevers(ctx: BenchContext): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];

  ctx.log('each function with and without environment-only credentials…');
  const composition: Record<string, Metafile> = {};
  const keepNamesCost: string[] = [];
  const noNamesFiles: Record<string, { with: string; without: string }> = {};
  for (const f of FUNCTIONS) {
    const entry = `functions/${f.entry}.ts`;
    const withAlias = await bundleLambda(entry, join(ctx.tmp, 'with', f.entry));
    const fullChain = await bundleLambda(entry, join(ctx.tmp, 'without', f.entry), [], { alias: {} });
    const noNames = await bundleLambda(entry, join(ctx.tmp, 'no-names', f.entry), [], { keepNames: false });
    composition[f.entry] = withAlias.metafile;
    keepNamesCost.push(`${f.entry} −${fmtBytes(withAlias.bytes - noNames.bytes)}`);
    noNamesFiles[f.entry] = { with: withAlias.file, without: noNames.file };
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
  const floor = await bundleLambda(FLOOR_ENTRY, join(ctx.tmp, 'floor'), [], { alias: {} });
  const floorEnv = await bundleLambda(FLOOR_ENTRY, join(ctx.tmp, 'floor-env'));
  const anchor = await buildAnchor(ctx.tmp);
  const NAMED = 'public-api';
  const ms = await measureImports({
    'DynamoDB GetItem only': floor.file,
    'DynamoDB GetItem only, env credentials': floorEnv.file,
    '(empty handler)': anchor.file,
    [NAMED]: noNamesFiles[NAMED]!.with,
    [`${NAMED}, keepNames: false`]: noNamesFiles[NAMED]!.without,
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
      'floor with environment-only credentials (as the functions are built; the `bundles` anchor)',
      `${fmtBytes(floorEnv.bytes)}, ${fmtMs(floorMs)}`,
      `empty ${fmtMs(anchorMs)}`,
      fmtRatio(floorMs / anchorMs),
    ),
  );
  const namedMs = ms[NAMED]!;
  const unnamedMs = ms[`${NAMED}, keepNames: false`]!;

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
    `Not applied: esbuild \`keepNames: false\` would save ${keepNamesCost.join(', ')} (${NAMED}'s cold import: ${fmtMs(unnamedMs)} against ${fmtMs(namedMs)}, ${fmtRatio(unnamedMs / namedMs)}), but domain errors take their \`name\` from their class (shared/errors.ts) and logs and the HTTP adapter would then show minified names; each error class would have to spell its name out first.`,
    `Each lever is measured on its own: the function bundled with and without the credentials alias, and for the others two small entries (bench/shims/) doing the same thing the old way and the new way, bundled with the Lambda settings. Cold imports: median of ${IMPORT_ROUNDS} fresh processes, interleaved, as in the \`bundles\` group.`,
    `The floor of any function that talks to DynamoDB — a handler holding nothing but DynamoDBDocumentClient and one GetCommand (bench/shims/dynamodb-floor.ts), built as the functions are — imports in ${fmtMs(floorMs)} here, ${fmtRatio(floorMs / anchorMs)} the empty handler: it is the anchor of the \`bundles\` group, where each synchronous function's cold import may take at most ${fmtRatio(MAX_IMPORT_RATIO)} the floor measured in the same run. With the SDK's full credential chain the same handler takes ${fmtRatio(ms['DynamoDB GetItem only']! / floorMs)} the floor. The milliseconds move between runs on this shared machine; compare the ratios, and read the absolute time on Lambda (arm64, Node 24) in the functions' Init Duration (REPORT log line).`,
  );
  return { rows, notes };
}
