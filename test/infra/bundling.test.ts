import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_ALIASES } from '#infra/bundling/aliases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'baocao-bundling-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Bundles the fixture as BaocaoFunction does (aliases included) and runs it in a fresh node. */
async function bundleAndRun(env: Record<string, string>) {
  const outfile = join(tmp, 'index.mjs');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['test/fixtures/bundling/credentials-entry.ts'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    alias: { ...LAMBDA_ALIASES },
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const { PATH, HOME } = process.env;
  const stdout = execFileSync(process.execPath, [outfile], {
    env: { PATH, HOME: HOME ?? tmp, ...env },
    encoding: 'utf8',
  });
  return {
    output: JSON.parse(stdout) as Record<string, string>,
    inputs: Object.keys(result.metafile.inputs),
  };
}

describe('Lambda bundle aliases', () => {
  it('resolves credentials from the environment, as Lambda provides them, and bundles no other source', async () => {
    const { output, inputs } = await bundleAndRun({
      AWS_ACCESS_KEY_ID: 'AKIDBUNDLETEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'session-token',
    });
    expect(output).toEqual({ accessKeyId: 'AKIDBUNDLETEST', sessionToken: 'session-token' });
    expect(inputs.some((p) => p.includes('credential-provider-env'))).toBe(true);
    for (const gone of [
      'credential-provider-node',
      'credential-provider-ini',
      'credential-provider-sso',
      'nested-clients',
    ]) {
      expect(inputs.filter((p) => p.includes(`/${gone}/`))).toEqual([]);
    }
  });

  it('fails with a clear credentials error when the environment has none (no fallback to files or metadata)', async () => {
    const { output } = await bundleAndRun({});
    expect(output.error).toBe('CredentialsProviderError');
    expect(output.message).toMatch(/environment/i);
  });

  it('every bundled SDK package imports only defaultProvider from @aws-sdk/credential-provider-node', () => {
    const sdk = join(ROOT, 'node_modules', '@aws-sdk');
    const imports = new Set<string>();
    let files = 0;
    for (const pkg of readdirSync(sdk)) {
      const file = join(sdk, pkg, 'dist-es', 'runtimeConfig.js');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      files++;
      for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/credential-provider-node"/g)) {
        for (const name of m[1]!.split(',')) imports.add(name.trim().split(/\s+as\s+/)[0]!);
      }
    }
    expect(files).toBeGreaterThan(5);
    expect([...imports]).toEqual(['defaultProvider']);
  });

  it('maps every alias to a file in the repository', () => {
    for (const target of Object.values(LAMBDA_ALIASES)) {
      expect(() => readFileSync(join(ROOT, target))).not.toThrow();
    }
  });
});
