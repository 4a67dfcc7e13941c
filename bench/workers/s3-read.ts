/**
 * The emulator's ceiling: GetObject of COUNT objects `PREFIX<unitId>/u1` from the S3 emulator
 * named in the environment, CONCURRENCY at a time (the export's group passes as many as the ZIP
 * writer keeps open: the entry being written and its look-ahead), bytes drained.
 * `node s3-read.mjs PREFIX COUNT CONCURRENCY` → `{ ms, bytes, maxRss, cpuMs }`.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '#shared/adapters/aws-clients.ts';
import { loadConfig } from '#shared/config.ts';
import { unitId } from '../data.ts';
import { mapLimit } from '../support.ts';

const [prefix, count, concurrency] = process.argv.slice(2);
if (!prefix || !count || !concurrency) throw new Error('usage: s3-read PREFIX COUNT CONCURRENCY');
const config = loadConfig();
const client = createS3Client(config);
const cpu = process.cpuUsage();
const started = performance.now();
const sizes = await mapLimit(
  Array.from({ length: Number(count) }, (_, i) => i),
  Number(concurrency),
  async (i) => {
    const out = await client.send(
      new GetObjectCommand({ Bucket: config.REPORTS_BUCKET, Key: `${prefix}${unitId(i)}/u1` }),
    );
    let bytes = 0;
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) bytes += chunk.length;
    return bytes;
  },
);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    ms,
    bytes: sizes.reduce((a, b) => a + b, 0),
    maxRss: process.resourceUsage().maxRSS * 1024,
    cpuMs: (used.user + used.system) / 1000,
  }),
);
process.exit(0);
