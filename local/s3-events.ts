import type { S3Event } from 'aws-lambda';
import type S3rver from 's3rver';

/** An S3-triggered Lambda handler. */
export type S3Handler = (event: S3Event) => Promise<void>;

/**
 * Delivers s3rver's S3-shaped events for a bucket to the same handler that runs in Lambda,
 * one record per invocation as S3 does; a failed invocation is retried twice (Lambda's async
 * retry policy), then reported.
 */
export function forwardS3Events(
  s3rver: S3rver,
  bucket: string,
  handler: S3Handler,
  onError: (error: unknown) => void,
): void {
  s3rver.on('event', (event: S3Event) => {
    for (const record of event.Records) {
      if (record.s3.bucket.name !== bucket || !record.eventName.startsWith('ObjectCreated')) continue;
      void invokeWithRetries(() => handler({ Records: [record] }), 3).catch(onError);
    }
  });
}

async function invokeWithRetries(invoke: () => Promise<void>, attempts: number): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await invoke();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}
