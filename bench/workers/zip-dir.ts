/**
 * The ZIP writer alone (shared/export/zip.ts): every file under DIR (recursively, sorted), stored,
 * into OUT, named by its path relative to DIR.
 * `node zip-dir.mjs DIR OUT` → `{ ms, bytes, files, maxRss }` (maxRss in bytes).
 */
import { createReadStream, createWriteStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type ZipEntrySpec, zipStream } from '#shared/export/zip.ts';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: zip-dir DIR OUT');
const names = (readdirSync(dir, { recursive: true }) as string[])
  .filter((name) => statSync(join(dir, name)).isFile())
  .sort();
const mtime = new Date('2026-12-10T03:00:00Z');

function* entries(): Generator<ZipEntrySpec> {
  for (const name of names) {
    const path = join(dir!, name);
    yield {
      name: `files/${name}`,
      compress: false,
      mtime,
      size: statSync(path).size,
      data: () => createReadStream(path),
    };
  }
}

const started = performance.now();
await pipeline(zipStream(entries()), createWriteStream(out));
const ms = performance.now() - started;
console.log(
  JSON.stringify({
    ms,
    bytes: statSync(out).size,
    files: names.length,
    maxRss: process.resourceUsage().maxRSS * 1024,
  }),
);
