/**
 * The esbuild settings of the Lambda bundles, in one place for the benchmark.
 *
 * They mirror `bundling` in infra/constructs/baocao-function.ts (which does not export them): the
 * `bundles` group checks on every run that these settings reproduce, byte for byte, the bundle the
 * CDK construct itself builds, so a change there shows up here as a ✗ instead of drifting.
 * (Proposed: export the options from the construct and import them here.)
 */
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { LAMBDA_ALIASES } from '#infra/bundling/aliases.ts';
import { ROOT } from './support.ts';

/** `bundling` of BaocaoFunction, as esbuild API options. */
export const LAMBDA_BUNDLING = {
  bundle: true,
  format: 'esm',
  target: 'node24',
  platform: 'node',
  banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
  mainFields: ['module', 'main'],
  minify: true,
  charset: 'utf8',
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  alias: { ...LAMBDA_ALIASES },
  // externalModules: [] — everything is bundled, the AWS SDK included.
} satisfies BuildOptions;

/** The environment BaocaoFunction gives every function (plus the per-function names, dummies here). */
export const LAMBDA_ENV: Record<string, string> = {
  POWERTOOLS_SERVICE_NAME: 'baocao',
  POWERTOOLS_METRICS_NAMESPACE: 'Baocao',
  LOG_LEVEL: 'INFO',
  TIME_ZONE: 'Asia/Ho_Chi_Minh',
  COMMITTEE_NAME: 'Đảng ủy Sở',
  NODE_OPTIONS: '--enable-source-maps',
  AWS_REGION: 'ap-southeast-1',
  PLANS_TABLE: 'bench-plans',
  SUBMISSIONS_TABLE: 'bench-submissions',
  REPORTS_BUCKET: 'bench-reports',
};

/** Bundles `entry` (a path from the repository root) to `<outdir>/index.mjs` as the Lambda build does. */
export async function bundleLambda(
  entry: string,
  outdir: string,
  plugins: Plugin[] = [],
  overrides: Partial<BuildOptions> = {},
): Promise<{ file: string; bytes: number; metafile: Metafile }> {
  const file = join(outdir, 'index.mjs');
  const result = await build({
    ...LAMBDA_BUNDLING,
    ...overrides,
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: file,
    plugins,
    metafile: true,
    logLevel: 'error',
  });
  const output =
    result.metafile.outputs[Object.keys(result.metafile.outputs).find((k) => k.endsWith('.mjs'))!];
  return { file, bytes: output?.bytes ?? 0, metafile: result.metafile };
}

/** Bytes in the minified output per package (or project folder, e.g. `shared/export`), largest first. */
export function byPackage(metafile: Metafile): [string, number][] {
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

/**
 * A benchmark worker (bench/workers/*.ts) bundled with the Lambda settings, so that it runs the
 * project's code as Lambda would: plain `node`, no TypeScript loader in the measured process.
 */
export async function bundleWorker(name: string, outdir: string): Promise<string> {
  const { file } = await bundleLambda(`bench/workers/${name}.ts`, join(outdir, `worker-${name}`));
  return file;
}
