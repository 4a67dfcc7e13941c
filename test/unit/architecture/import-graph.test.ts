import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The direction of imports, checked from the source text (docs/architecture.md draws it):
 * - `shared/` imports nothing outside itself (the entry points, the edge and the wiring import it);
 * - a feature folder of `shared/` imports no adapter and no composition root;
 * - an adapter (`shared/adapters/`) imports nothing of a feature but its ports (`ports.ts`) and
 *   the shared kernel (`shared/domain/`, config, errors, …): it implements ports, nothing else;
 * - no two folders import each other, at any depth of the tree (a cycle between folders).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SOURCE_DIRS = ['shared', 'functions', 'local', 'cli', 'infra', 'bench'];
/** Imports that start with `#name/` resolve to these folders (package.json `imports`). */
const ALIASES: Record<string, string> = {
  '#shared/': 'shared/',
  '#functions/': 'functions/',
  '#local/': 'local/',
  '#infra/': 'infra/',
  '#cli/': 'cli/',
  '#test/': 'test/',
};
/** The shared kernel: what every layer may use. */
const KERNEL = [
  'shared/domain/',
  'shared/config.ts',
  'shared/errors.ts',
  'shared/ports.ts',
  'shared/powertools.ts',
  'shared/powertools-metrics.ts',
  'shared/metrics.ts',
  'shared/input-limits.ts',
  'shared/deps.ts',
  'shared/html-escape.ts',
];
const ADAPTERS = 'shared/adapters/';
/** The composition of each function's deps from a runtime (Lambda, local stack and CLI share it). */
const COMPOSITION = 'functions/wiring/';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (name === 'node_modules' || name === 'generated' || name.startsWith('.')) continue;
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every import of a file (static, dynamic and `export … from`), resolved to a repo path. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  const out: string[] = [];
  for (const spec of specs) {
    const alias = Object.keys(ALIASES).find((a) => spec.startsWith(a));
    if (alias) out.push(ALIASES[alias] + spec.slice(alias.length));
    else if (spec.startsWith('.')) out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));
const isKernel = (path: string) => KERNEL.some((k) => path === k || (k.endsWith('/') && path.startsWith(k)));
/** `shared/<feature>/` of a path under a feature folder, else undefined. */
function featureOf(path: string): string | undefined {
  const m = /^shared\/([^/]+)\//.exec(path);
  if (!m) return undefined;
  const folder = `shared/${m[1]}/`;
  if (folder === ADAPTERS || isKernel(path)) return undefined;
  return folder;
}

describe('the import graph', () => {
  it('reads the sources it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('has shared/ import nothing outside shared/', () => {
    const wrong = edges
      .filter((e) => e.from.startsWith('shared/') && !e.to.startsWith('shared/'))
      .map((e) => `${e.from} → ${e.to}`);
    expect(wrong).toEqual([]);
  });

  it('has no feature importing an adapter or a composition root', () => {
    const wrong = edges
      .filter((e) => featureOf(e.from) && (e.to.startsWith(ADAPTERS) || e.to.startsWith(COMPOSITION)))
      .map((e) => `${e.from} → ${e.to}`);
    expect(wrong).toEqual([]);
  });

  it('has adapters import nothing of a feature but its ports', () => {
    const wrong = edges
      .filter((e) => e.from.startsWith(ADAPTERS) && featureOf(e.to) && !e.to.endsWith('/ports.ts'))
      .map((e) => `${e.from} → ${e.to}`);
    expect(wrong).toEqual([]);
  });

  it('has no two folders that import each other', () => {
    // Every folder on a file's path imports every folder on its import's path, except its own
    // ancestors: a cycle between folders at any depth shows as a pair of opposite arrows.
    const folderEdges = new Set<string>();
    for (const { from, to } of edges) {
      const a = dirname(from);
      const b = dirname(to);
      if (a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`)) continue;
      // Compare the folders just below the deepest common ancestor.
      const as = a.split('/');
      const bs = b.split('/');
      let i = 0;
      while (as[i] === bs[i]) i++;
      folderEdges.add(`${as.slice(0, i + 1).join('/')} → ${bs.slice(0, i + 1).join('/')}`);
    }
    const cycles = [...folderEdges].filter((edge) => {
      const [x, y] = edge.split(' → ');
      return folderEdges.has(`${y} → ${x}`) && x! < y!;
    });
    expect(cycles).toEqual([]);
  });
});
