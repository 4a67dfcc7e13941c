import { fileURLToPath } from 'node:url';

/** The project's root folder (where package.json is). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The local data folder: `BAOCAO_DATA_DIR`, or `.data/` in the project. */
export function dataDir(env: Record<string, string | undefined> = process.env): string {
  return env.BAOCAO_DATA_DIR ?? fileURLToPath(new URL('../.data', import.meta.url));
}
