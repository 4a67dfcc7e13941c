/**
 * Group `levers` (not in the default run: `npm run bench -- levers`): what each known lever does
 * to the bundles, applied one after the other on top of the Lambda settings, by esbuild plugins
 * that rewrite or redirect imports at build time (no source file is changed). Sizes for every
 * step; cold import with every lever (the `bundles` group has them as they are, against the
 * same anchor), and two floors: a handler that only loads the DynamoDB document client, with
 * and without the default credential chain.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { buildAnchor, FUNCTIONS, IMPORT_ROUNDS, measureImports } from './bundles.ts';
import { bundleLambda, LAMBDA_BUNDLING } from './lambda-bundle.ts';
import {
  type BenchContext,
  fmtBytes,
  fmtMs,
  fmtNumber,
  fmtRatio,
  type GroupResult,
  info,
  KIB,
  ROOT,
  type Row,
} from './support.ts';

interface Rewrite {
  /** Which source files (absolute path) it applies to. */
  file: RegExp;
  apply(source: string): string;
}

interface Lever {
  name: string;
  /** Where it would be made for real. */
  where: string;
  rewrites?: Rewrite[];
  plugins?: Plugin[];
}

const ZOD_NAMED = "import { z } from 'zod';";
const ZOD_NAMESPACE = "import * as z from 'zod';";
const LAZY_MAMMOTH = "  const { default: mammoth } = await import('mammoth');\n";

/** Levers already applied in shared/, undone here to show what they gave. */
const UNDO_APPLIED: Rewrite[] = [
  {
    file: /shared\/(auth\/sign-in|units\/parse-units-csv|mail\/mail-message|uploads\/upload-request)\.ts$/,
    apply: (s) => s.replace(ZOD_NAMESPACE, ZOD_NAMED),
  },
  {
    file: /shared\/plans\/read-plan-document\.ts$/,
    apply: (s) =>
      s.includes(LAZY_MAMMOTH)
        ? s
            .replace(LAZY_MAMMOTH, '')
            .replace(
              'import type { ParsedPlan }',
              "import mammoth from 'mammoth';\nimport type { ParsedPlan }",
            )
        : s,
  },
];

const CREDENTIALS_ENV_ONLY = join(ROOT, 'bench', 'shims', 'credential-provider-env-only.ts');

const LEVERS: Lever[] = [
  {
    name: 'zod: `import * as z` in functions/planner.ts and functions/exporter.ts too',
    where: 'functions/ (proposed; the shared/ modules are done)',
    rewrites: [{ file: /functions\/.*\.ts$/, apply: (s) => s.replace(ZOD_NAMED, ZOD_NAMESPACE) }],
  },
  {
    name: 'credential provider: environment only',
    where: 'BaocaoFunction bundling alias (proposed)',
    plugins: [
      {
        name: 'credentials-env-only',
        setup(b) {
          b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
            path: CREDENTIALS_ENV_ONLY,
          }));
        },
      },
    ],
  },
  {
    name: 'one copy of @aws-sdk/client-s3 (s3-presigned-post pins 3.1164.0)',
    where: 'package.json (proposed)',
    plugins: [
      {
        name: 'one-client-s3',
        setup(b) {
          b.onResolve({ filter: /^@aws-sdk\/client-s3$/ }, (args) =>
            args.importer.includes('/node_modules/@aws-sdk/s3-presigned-post/')
              ? b.resolve('@aws-sdk/client-s3', { kind: args.kind, resolveDir: ROOT })
              : undefined,
          );
        },
      },
    ],
  },
  {
    name: 'export records (request, list, get) in a module apart from the pack code',
    where: 'shared/export/build-export.ts → e.g. shared/export/records.ts (proposed)',
    // Emulated by declaring the pack's libraries free of side effects: esbuild then drops them
    // from bundles that import build-export.ts only for the records, as a split module would.
    plugins: [
      {
        name: 'pack-libraries-side-effect-free',
        setup(b) {
          b.onResolve({ filter: /^(exceljs|docx)(\/.*)?$/ }, async (args) => {
            if (args.pluginData === 'inner') return undefined;
            const resolved = await b.resolve(args.path, {
              kind: args.kind,
              resolveDir: args.resolveDir,
              importer: args.importer,
              pluginData: 'inner',
            });
            return { path: resolved.path, sideEffects: false };
          });
        },
      },
    ],
  },
  {
    name: 'exceljs: import the streaming WorkbookWriter only',
    where: 'shared/export/summary-xlsx.ts (proposed)',
    rewrites: [
      {
        file: /shared\/export\/summary-xlsx\.ts$/,
        apply: (s) =>
          s
            .replace(
              "import ExcelJS from 'exceljs';",
              "import WorkbookWriter from 'exceljs/lib/stream/xlsx/workbook-writer.js';",
            )
            .replace('new ExcelJS.stream.xlsx.WorkbookWriter', 'new WorkbookWriter'),
      },
    ],
  },
];

/** One plugin applying every rewrite to the project's sources (esbuild runs one onLoad per file). */
function buildPlugins(rewrites: Rewrite[], plugins: Plugin[]): Plugin[] {
  if (rewrites.length === 0) return plugins;
  return [
    {
      name: 'rewrites',
      setup(b) {
        b.onLoad({ filter: /\/(shared|functions)\/.*\.ts$/ }, async (args) => {
          let source = await readFile(args.path, 'utf8');
          for (const r of rewrites) if (r.file.test(args.path)) source = r.apply(source);
          return { contents: source, loader: 'ts' };
        });
      },
    },
    ...plugins,
  ];
}

async function size(entry: string, plugins: Plugin[]): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    ...LAMBDA_BUNDLING,
    sourcemap: false,
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: '/dev/null/index.mjs',
    write: false,
    plugins,
    metafile: true,
    logLevel: 'silent',
  });
  const out = Object.values(result.metafile.outputs)[0];
  // The settings add a sourceMappingURL comment (34 bytes) that this size-only build leaves out.
  return {
    bytes: (out?.bytes ?? 0) + '//# sourceMappingURL=index.mjs.map\n'.length,
    metafile: result.metafile,
  };
}

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

export async function runLevers(ctx: BenchContext): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const steps: { label: string; rewrites: Rewrite[]; plugins: Plugin[] }[] = [
    { label: 'before the levers applied in shared/', rewrites: UNDO_APPLIED, plugins: [] },
    { label: 'sources as they are', rewrites: [], plugins: [] },
  ];
  let rewrites: Rewrite[] = [];
  let plugins: Plugin[] = [];
  for (const lever of LEVERS) {
    rewrites = [...rewrites, ...(lever.rewrites ?? [])];
    plugins = [...plugins, ...(lever.plugins ?? [])];
    steps.push({ label: `+ ${lever.name} [${lever.where}]`, rewrites, plugins });
  }

  const sizes: Record<string, number[]> = {};
  let last: Record<string, Metafile> = {};
  for (const f of FUNCTIONS) {
    ctx.log(`sizes of ${f.entry} through ${steps.length} steps…`);
    sizes[f.entry] = [];
    for (const step of steps) {
      try {
        const { bytes, metafile } = await size(
          `functions/${f.entry}.ts`,
          buildPlugins(step.rewrites, step.plugins),
        );
        sizes[f.entry]!.push(bytes);
        last = { ...last, [f.entry]: metafile };
      } catch {
        sizes[f.entry]!.push(Number.NaN);
      }
    }
  }
  steps.forEach((step, i) => {
    rows.push(
      info(
        step.label,
        FUNCTIONS.map((f) => `${f.entry} ${fmtSize(sizes[f.entry]![i]!)}`).join(', '),
        i === 0 ? '–' : 'previous step',
        i === 0
          ? '–'
          : FUNCTIONS.map((f) => fmtRatio(sizes[f.entry]![i]! / sizes[f.entry]![i - 1]!)).join(' '),
      ),
    );
  });

  ctx.log('cold imports with every lever, and the floors…');
  const files: Record<string, string> = {};
  for (const f of FUNCTIONS) {
    files[`${f.entry} all levers`] = (
      await bundleLambda(
        `functions/${f.entry}.ts`,
        join(ctx.tmp, 'all', f.entry),
        buildPlugins(rewrites, plugins),
      )
    ).file;
  }
  const floorEntry = 'bench/shims/dynamodb-floor.ts';
  const floor = await bundleLambda(floorEntry, join(ctx.tmp, 'floor'));
  const floorEnv = await bundleLambda(floorEntry, join(ctx.tmp, 'floor-env'), LEVERS[1]!.plugins);
  files['DynamoDB GetItem only'] = floor.file;
  files['DynamoDB GetItem only, env credentials'] = floorEnv.file;
  const zodClassic = await bundleLambda('bench/shims/zod-classic.ts', join(ctx.tmp, 'zod-classic'));
  const zodMini = await bundleLambda('bench/shims/zod-mini.ts', join(ctx.tmp, 'zod-mini'));
  rows.push(
    info(
      'zod → zod/mini: the same kinds of schema as the sources use (not applied: a rewrite of every schema)',
      fmtBytes(zodMini.bytes),
      `zod ${fmtBytes(zodClassic.bytes)}`,
      fmtRatio(zodMini.bytes / zodClassic.bytes),
    ),
  );
  const anchor = await buildAnchor(ctx.tmp);
  files['(empty handler)'] = anchor.file;
  const ms = await measureImports(files);
  const anchorMs = ms['(empty handler)']!;
  rows.push(
    info(
      'floor: a handler with only DynamoDBDocumentClient + GetCommand',
      `${fmtBytes(floor.bytes)}, ${fmtMs(ms['DynamoDB GetItem only']!)}`,
      `empty ${fmtMs(anchorMs)}`,
      fmtRatio(ms['DynamoDB GetItem only']! / anchorMs),
    ),
    info(
      'floor with environment-only credentials',
      `${fmtBytes(floorEnv.bytes)}, ${fmtMs(ms['DynamoDB GetItem only, env credentials']!)}`,
      `empty ${fmtMs(anchorMs)}`,
      fmtRatio(ms['DynamoDB GetItem only, env credentials']! / anchorMs),
    ),
  );
  for (const f of FUNCTIONS) {
    const all = ms[`${f.entry} all levers`]!;
    rows.push(
      info(
        `${f.entry}: bundle and cold import with every lever`,
        `${fmtBytes(sizes[f.entry]!.at(-1)!)}, ${fmtMs(all)}`,
        `empty ${fmtMs(anchorMs)}`,
        fmtRatio(all / anchorMs),
      ),
    );
  }

  for (const entry of ['public-api', 'exporter']) {
    const left = last[entry];
    if (!left) continue;
    notes.push(
      `What is left in ${entry} with every lever (bytes in the minified output per package): ${byPackage(left)
        .slice(0, 12)
        .map(([k, v]) => `${k} ${fmtBytes(v)}`)
        .join(', ')}.`,
    );
  }
  const finalSize = (f: (typeof FUNCTIONS)[number]) => sizes[f.entry]!.at(-1)!;
  const within = FUNCTIONS.filter((f) => finalSize(f) <= f.maxBytes);
  const above = FUNCTIONS.filter((f) => finalSize(f) > f.maxBytes);
  const floorMs = ms['DynamoDB GetItem only, env credentials']!;
  notes.push(
    `Each step adds one lever to the previous ones (sizes of \`index.mjs\`, KB = 1,024 bytes). Cold imports: median of ${IMPORT_ROUNDS} fresh processes, interleaved, as in the \`bundles\` group.`,
    `With every lever, within the size target: ${within.map((f) => `${f.entry} ${fmtBytes(finalSize(f))}`).join(', ') || 'none'}; above it: ${above.map((f) => `${f.entry} ${fmtBytes(finalSize(f))} (target ${fmtBytes(f.maxBytes)})`).join(', ') || 'none'}. What remains in the HTTP and upload functions is the AWS SDK itself (@smithy/core, the S3, DynamoDB and Secrets Manager clients: ~350 KB), zod (~100 KB; zod/mini would save ~70 KB but means rewriting every schema in its functional API) and Powertools (~35 KB). public-api holds the whole S3 client only to sign presigned POSTs: signing the POST policy by hand (SigV4 over the policy document, with the credentials from the environment) would drop the S3 client, its checksums, middleware and XML builder (~130 KB of the list below), and with zod/mini too public-api would come to ~400 KB — at the price of owning security-sensitive code; not done.`,
    `Cold imports against the 80 ms target: the floor of any function that talks to DynamoDB — a handler holding nothing but DynamoDBDocumentClient and one command — imports in ${fmtMs(ms['DynamoDB GetItem only']!)} here, ${fmtMs(floorMs)} with environment-only credentials (${fmtRatio(floorMs / anchorMs)} the empty handler), so on this machine the SDK alone takes ${fmtNumber((floorMs / 80) * 100, 0)} % of the budget, and import time grows with the bundle at roughly ${fmtNumber(((ms['public-api all levers']! - floorMs) / (finalSize(FUNCTIONS[0]!) - floorEnv.bytes)) * KIB * 100, 0)} ms per 100 KB beyond it (public-api with every lever: ${fmtBytes(finalSize(FUNCTIONS[0]!))}, ${fmtMs(ms['public-api all levers']!)}). Medians move by ±20 % between runs on this shared machine; the ratios to the empty handler are the figures to carry to Lambda (arm64, Node 24), where the absolute 80 ms has to be checked in the functions' Init Duration (REPORT log line).`,
  );
  return { rows, notes };
}

function fmtSize(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.round(bytes / KIB)}K` : 'failed';
}
