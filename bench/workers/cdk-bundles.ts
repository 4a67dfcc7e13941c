/**
 * Builds the Lambda bundles through the CDK construct itself (BaocaoFunction → NodejsFunction →
 * local esbuild), one app per function, and right after each one the same entry with the
 * settings of bench/lambda-bundle.ts, to check that those still mirror the construct. Prints
 * `{ assets: { entry: folder }, errors: { entry: message }, mirrored: { entry: boolean } }`.
 * Run with tsx: `node --import tsx bench/workers/cdk-bundles.ts OUTDIR ENTRY...`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { BaocaoFunction } from '#infra/constructs/baocao-function.ts';
import { bundleLambda } from '../lambda-bundle.ts';

const [outdir, ...entries] = process.argv.slice(2);
if (!outdir || entries.length === 0) throw new Error('usage: cdk-bundles.ts OUTDIR ENTRY...');
const assets: Record<string, string> = {};
const errors: Record<string, string> = {};
const mirrored: Record<string, boolean> = {};
for (const entry of entries) {
  const dir = join(outdir, entry);
  try {
    const app = new App({ outdir: dir });
    new BaocaoFunction(new Stack(app, 'Bench'), 'Fn', {
      entry,
      settings: { committeeName: 'Đảng ủy Sở', timeZone: 'Asia/Ho_Chi_Minh' },
    });
    const asset = readdirSync(dir).find((name) => name.startsWith('asset.'));
    if (!asset) throw new Error(`no asset in ${dir}`);
    assets[entry] = join(dir, asset);
    const mirror = await bundleLambda(`functions/${entry}.ts`, join(outdir, 'mirror', entry));
    mirrored[entry] = readFileSync(mirror.file).equals(readFileSync(join(dir, asset, 'index.mjs')));
  } catch (error) {
    errors[entry] = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
  }
}
console.log(JSON.stringify({ assets, errors, mirrored }));
