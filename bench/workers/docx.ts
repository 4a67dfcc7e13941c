/**
 * bao-cao-tong-hop.docx alone (shared/export/report-docx.ts) for UNITS units, nine in ten with a
 * note: `node docx.mjs UNITS` → `{ ms, bytes, maxRss }`.
 */
import { buildReportDocx } from '#shared/export/report-docx.ts';
import { sampleContent, sampleUnit } from '#test/support/pack-content.ts';
import { unitId, unitName } from '../data.ts';

const units = Number(process.argv[2]);
if (!(units > 0)) throw new Error('usage: docx UNITS');
const content = sampleContent(
  Array.from({ length: units }, (_, i) =>
    sampleUnit(unitId(i), unitName(i), i % 10 === 9 ? 'missing' : 'on_time', {
      '1': `Nội dung báo cáo của đơn vị ${i}.`,
    }),
  ),
);
const started = performance.now();
const bytes = (await buildReportDocx(content)).length;
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, bytes, maxRss: process.resourceUsage().maxRSS * 1024 }));
