/**
 * The whole export (shared/export/build-export.ts `buildExport`) of one period, reading the
 * report objects from the S3 emulator and DynamoDB emulator named in the environment (the
 * bench's local stack, in the parent process), writing the ZIP to a local file instead of an S3
 * multipart upload, part by part as the function's writer sends them ({@link writeInParts}). With REPORTS_DIR, the report objects are read from the files at their keys
 * under that folder instead of from S3.
 * `node export.mjs PLAN YEAR OUT [REPORTS_DIR]` → `{ ms, bytes, units, files, maxRss, … }`.
 */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { applyExporterV8Flags } from '#functions/wiring/exporter-v8-flags.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { feedParts } from '#shared/adapters/s3/export-writer.ts';
import { loadConfig } from '#shared/config.ts';
import { buildExport } from '#shared/export/build-export.ts';

/** S3ExportWriter's defaults (shared/adapters/s3/export-writer.ts): 8 MiB parts, 2 at once. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

const [planId, year, out, reportsDir] = process.argv.slice(2);
if (!planId || !year || !out) throw new Error('usage: export PLAN YEAR OUT [REPORTS_DIR]');
// As the exporter function does when it starts (functions/exporter.ts).
applyExporterV8Flags();
const deps = createExportDeps(createRuntime(loadConfig()), {
  writer: { upload: (_key, body) => writeInParts(body, out) },
  mailQueue: { enqueue: async () => {} },
  ...(reportsDir
    ? { reports: { open: async (key: string) => createReadStream(join(reportsDir, key)) } }
    : {}),
});
/**
 * The ZIP into a file the way S3ExportWriter (shared/adapters/s3/export-writer.ts) sends it to S3,
 * through its own {@link feedParts}: each chunk copied into an 8 MiB part, each full part one
 * positional write (there, one UploadPart request), 2 in flight while the next fills, the part
 * buffers reused. Writing each 64 KB chunk as it comes would cost the exporter 16 times the
 * system calls its function makes.
 */
async function writeInParts(body: Readable, path: string): Promise<void> {
  const file = await open(path, 'w');
  try {
    const fed = await feedParts(body, {
      partSize: () => PART_BYTES,
      parallel: PARTS_IN_FLIGHT,
      sendPart: async (buffer, length, number) => {
        await file.write(buffer, 0, length, (number - 1) * PART_BYTES);
      },
    });
    if (fed.bytes) await file.write(fed.bytes, 0, fed.bytes.length, 0);
  } finally {
    await file.close();
  }
}

// Where the memory is: peaks of the JS heap and of Buffers/ArrayBuffers outside it.
let heapUsed = 0;
let external = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  heapUsed = Math.max(heapUsed, m.heapUsed);
  external = Math.max(external, m.external + m.arrayBuffers);
}, 25);
// With --expose-gc (the live-memory run): what is still referenced, sampled every 0.5 s right
// after a full collection, so garbage not yet collected does not count.
let liveHeap = 0;
let liveExternal = 0;
const collect = (globalThis as { gc?: () => void }).gc;
const liveSampler = collect
  ? setInterval(() => {
      collect();
      const m = process.memoryUsage();
      liveHeap = Math.max(liveHeap, m.heapUsed);
      liveExternal = Math.max(liveExternal, m.external + m.arrayBuffers);
    }, 500)
  : undefined;
const cpu = process.cpuUsage();
const started = performance.now();
const result = await buildExport(deps, planId, Number(year), { requestedBy: 'bench' });
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
clearInterval(sampler);
clearInterval(liveSampler);
console.log(
  JSON.stringify({
    ms,
    bytes: statSync(out).size,
    zipBytes: result.bytes,
    units: result.units,
    files: result.files,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed,
    external,
    liveHeap,
    liveExternal,
    cpuMs: (used.user + used.system) / 1000,
  }),
);
// The SDK's keep-alive sockets would hold the process open.
process.exit(0);
