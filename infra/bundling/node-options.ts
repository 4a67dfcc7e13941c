/**
 * Node options a function runs with beyond the house default (`--enable-source-maps`, set by
 * BaocaoFunction), in a module of its own so that the benchmark runs its workers with the same
 * flags without loading the CDK (bench/export.ts).
 */

/**
 * The exporter's young generation is capped at 8 MB a semi-space (V8's default grows it up to
 * 16 MB). An export streams a gigabyte in 64 KB chunks: every chunk's wrapper, promise and stream
 * record dies young, but V8 doubles the new space each time enough of them have survived a
 * scavenge, so the longer the export the larger it ends — 16 MB more committed heap for 500 units
 * than for 100, the growth of its peak RSS (docs/BENCHMARKS.md, `export`). Capped, the peak no
 * longer follows the length of the export, for more frequent scavenges whose cost is their
 * survivors, not the space's size. (V8 flags that NODE_OPTIONS refuses, the exporter sets on itself
 * as it starts: functions/wiring/exporter-v8-flags.ts.)
 */
export const EXPORTER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
