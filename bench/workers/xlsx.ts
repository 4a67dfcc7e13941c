/**
 * tong-hop.xlsx with the streaming writer (shared/export/summary-xlsx.ts) and — the anchor — the
 * same rows as plain CSV, one after the other in this one process, in the order given, each to
 * its own file in DIR (deleted once measured). Run with `--expose-gc`: a full collection before
 * each phase. `node --expose-gc xlsx.mjs xlsx,csv|csv,xlsx ROWS DIR` →
 * `{ xlsx: { ms, cpuMs, bytes, maxRss }, csv: { … } }`, where maxRss is the process's high-water
 * mark right after that phase (the phase's own peak only for the phase that ran first).
 */

import { once } from 'node:events';
import { createWriteStream, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type SummaryRow, writeSummaryXlsx } from '#shared/export/summary-xlsx.ts';
import { sampleContent } from '#test/support/pack-content.ts';
import { unitId, unitName } from '../data.ts';

type Mode = 'xlsx' | 'csv';
const [order, count, dir] = process.argv.slice(2);
const modes = (order ?? '').split(',') as Mode[];
if (!modes.every((m) => m === 'xlsx' || m === 'csv') || !count || !dir)
  throw new Error('usage: xlsx xlsx,csv|csv,xlsx ROWS DIR');
const n = Number(count);

/** Nine in ten units reported (two files each), one in ten of those late. */
function* rows(): Generator<SummaryRow> {
  for (let i = 0; i < n; i++) {
    const missing = i % 10 === 9;
    yield {
      unitId: unitId(i),
      unitName: unitName(i),
      status: missing ? 'missing' : i % 10 === 8 ? 'late' : 'on_time',
      deadline: '2026-12-15',
      submittedAt: missing ? null : new Date(Date.UTC(2026, 11, 1, 1, 0, 0) + i * 7_000).toISOString(),
      files: missing ? 0 : 2,
      bytes: missing ? 0 : 2_000_000 + i,
      sha256: missing ? [] : [i.toString(16).padStart(64, 'a'), i.toString(16).padStart(64, 'b')],
    };
  }
}

const reported = n - Math.floor(n / 10);
const late = Math.floor((n + 1) / 10);
const header = {
  ...sampleContent([]),
  expected: n,
  reported,
  onTime: reported - late,
  late,
  missing: n - reported,
  completeness: reported / n,
  timeliness: (reported - late) / n,
};

async function writeCsv(path: string): Promise<void> {
  const stream = createWriteStream(path);
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  stream.write('unit_id,unit_name,status,deadline,submitted_at,files,bytes,sha256\n');
  for (const r of rows()) {
    const line = `${[r.unitId, quote(r.unitName), r.status, r.deadline, r.submittedAt ?? '', r.files, r.bytes, quote(r.sha256.join('\n'))].join(',')}\n`;
    if (!stream.write(line)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

const collect = (globalThis as { gc?: () => void }).gc;
const results: Partial<Record<Mode, { ms: number; cpuMs: number; bytes: number; maxRss: number }>> = {};
for (const mode of modes) {
  const out = join(dir, `tong-hop.${mode}`);
  collect?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (mode === 'xlsx') await writeSummaryXlsx(header, rows(), createWriteStream(out));
  else await writeCsv(out);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  results[mode] = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    bytes: statSync(out).size,
    maxRss: process.resourceUsage().maxRSS * 1024,
  };
  unlinkSync(out);
}
console.log(JSON.stringify(results));
