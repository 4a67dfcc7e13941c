/**
 * bao-cao-tong-hop.docx alone (shared/export/report-docx.ts) for UNITS units, nine in ten with a
 * note, streamed into a sink that only counts the bytes (as the pack takes them):
 * `node docx.mjs UNITS` → `{ ms, bytes, maxRss, contentRss }`. The pack content (built here first,
 * as the exporter reads it from DynamoDB) is part of the peak RSS; `contentRss` is the RSS once it
 * is built, before the report starts.
 */
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { reportDocxStream } from '#shared/export/report-docx.ts';
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
const contentRss = process.memoryUsage().rss;
let bytes = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    bytes += chunk.length;
    callback();
  },
});
const started = performance.now();
await pipeline(reportDocxStream(content), sink);
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, bytes, maxRss: process.resourceUsage().maxRSS * 1024, contentRss }));
