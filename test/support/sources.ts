import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository's root. */
export const ROOT = new URL('../../', import.meta.url).pathname;

/** The folders of code that runs (not tests, not docs). */
export const CODE_DIRS = ['shared', 'functions', 'infra', 'local', 'cli', 'bench'] as const;

/**
 * Every TypeScript source below `dirs` (paths relative to the root, `/`-separated) with its text,
 * for tests that check a contract is written in one place only. Build output is skipped.
 */
export function sourceFiles(dirs: readonly string[] = CODE_DIRS): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'generated' && !entry.name.startsWith('.'))
          walk(path);
      } else if (entry.name.endsWith('.ts')) {
        files.push({ path: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') });
      }
    }
  };
  for (const dir of dirs) walk(join(ROOT, dir));
  return files;
}
