import v8 from 'node:v8';

/**
 * V8 flags the exporter sets on itself as it starts (NODE_OPTIONS refuses V8 flags but a few, such
 * as `--max-semi-space-size` in infra/bundling/node-options.ts).
 *
 * `--no-incremental-marking`: an export streams a gigabyte of 64 KB Buffers through a heap of
 * ~10 MB. V8 kept starting incremental marking on that small heap, and finished each with a full
 * mark-compact: ~130 of them for 500 units, while the old generation stayed at ~10 MB (nothing to
 * collect); a third of the exporter's CPU went to them (docs/BENCHMARKS.md, `export`). Without it,
 * a full collection runs only when the old generation reaches its limit: 2 of them for the same
 * export, atomic pauses of a few milliseconds on that heap, which a batch job does not mind. The
 * young generation (where the chunks die) is collected as before.
 */
export const EXPORTER_V8_FLAGS: readonly string[] = ['--no-incremental-marking'];

/** Sets {@link EXPORTER_V8_FLAGS} in this process (the exporter function's, once per cold start). */
export function applyExporterV8Flags(): void {
  for (const flag of EXPORTER_V8_FLAGS) v8.setFlagsFromString(flag);
}
