/**
 * The exporter's reader of report objects (shared/adapters/s3/report-reader.ts: a signed
 * GetObject over node:http, its body a Node stream) against s3rver: every byte of an object in
 * the chunks a socket gives, a version by its id, and a missing key as MissingReportError.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '#shared/adapters/aws-clients.ts';
import { S3ReportReader } from '#shared/adapters/s3/report-reader.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { MissingReportError } from '#shared/export/ports.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('S3ReportReader against s3rver', () => {
  let stack: TestStack;
  let s3: S3Client;
  let reader: S3ReportReader;

  beforeAll(async () => {
    stack = await startTestStack({ s3Events: false });
    s3 = createS3Client(stack.config);
    reader = new S3ReportReader(reportsLocation(stack.config));
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  it('streams every byte of an object, several at once over kept-alive connections', async () => {
    const objects = [0, 1, 2, 3, 4].map((i) => ({
      key: `reports/p/2026/cb-${i}/u1 Báo cáo (${i}).pdf`,
      bytes: randomBytes(300_000 + i * 70_001),
    }));
    for (const { key, bytes } of objects) {
      await s3.send(new PutObjectCommand({ Bucket: stack.config.REPORTS_BUCKET, Key: key, Body: bytes }));
    }
    for (let round = 0; round < 2; round++) {
      const read = await Promise.all(objects.map(async ({ key }) => bytesOf(await reader.open(key))));
      for (const [i, bytes] of read.entries()) expect(bytes.equals(objects[i]!.bytes)).toBe(true);
    }
  });

  it('throws MissingReportError for a key that is not there', async () => {
    await expect(reader.open('reports/p/2026/cb-x/missing')).rejects.toBeInstanceOf(MissingReportError);
  });
});
