import { createHash } from 'node:crypto';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import type { MailQueue } from '#shared/ports.ts';
import { sendAwsJson } from '../aws-json-request.ts';
import { jsonProtocolError } from '../sdk-retry.ts';

/** SendMessageBatch takes at most ten entries. */
const BATCH_SIZE = 10;
/** Rounds of one chunk while SQS refuses some of its entries (SenderFault false). */
const MAX_BATCH_ATTEMPTS = 5;

/** An SQS error answer: its HTTP status, SQS's error code (`QueueDoesNotExist`, …) and message. */
export class SqsRequestError extends Error {
  constructor(
    readonly status: number,
    /** The error's shape name (`__type` without its namespace), e.g. `QueueDoesNotExist`. */
    readonly code: string,
    /** The query-protocol code of `x-amzn-query-error`, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode: string | undefined,
    message: string,
  ) {
    super(
      `SQS SendMessageBatch failed: HTTP ${status} ${code}${queryCode && queryCode !== code ? ` (${queryCode})` : ''}${message ? `: ${message}` : ''}`,
    );
    this.name = 'SqsRequestError';
  }
}

/** Where and as whom {@link SqsMailQueue} sends. */
export interface SqsQueueTarget {
  region: string;
  /** `https://sqs.<region>.amazonaws.com/<account>/<name>`; its origin is the endpoint, as the SDK does. */
  queueUrl: string;
  credentials: AwsCredentialIdentityProvider;
  /** Per attempt. @default 5 s */
  timeoutMs?: number;
}

interface Entry {
  Id: string;
  MessageBody: string;
}
interface BatchAnswer {
  Successful?: { Id?: string; MD5OfMessageBody?: string }[];
  Failed?: { Id?: string; SenderFault?: boolean; Code?: string; Message?: string }[];
}

/**
 * The mail queue on SQS: SendMessageBatch in chunks of ten, the entries SQS refused on its side
 * sent again (only those, up to five rounds with back-off); an entry refused as the sender's
 * fault fails the call at once.
 *
 * Each batch is one signed HTTPS request in the SQS JSON protocol (`POST /`,
 * `X-Amz-Target: AmazonSQS.SendMessageBatch`, `application/x-amz-json-1.0`) instead of the SQS
 * client, whose schemas and protocol code were ~27 KB of four bundles and pushed the committee
 * app's cold start past its target. The request is the client's own, header for header and byte
 * for byte, signed by the SDK's SignatureV4 (test/unit/mail/sqs-mail-queue.test.ts); throttling,
 * 500/502/503/504, timeouts and network errors are retried like the SDK's standard mode, and
 * the MD5 of every accepted body is checked as the client does. Messages are JSON bodies of type
 * `T` (the mail queue, the signatures queue).
 */
export class SqsJsonQueue<T> {
  private readonly endpoint: URL;

  constructor(
    private readonly target: SqsQueueTarget,
    private readonly sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {
    this.endpoint = new URL('/', new URL(target.queueUrl).origin);
  }

  async enqueue(messages: T[]): Promise<void> {
    for (let i = 0; i < messages.length; i += BATCH_SIZE) {
      let pending: Entry[] = messages
        .slice(i, i + BATCH_SIZE)
        .map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > MAX_BATCH_ATTEMPTS) {
          throw new Error(`SQS refused ${pending.length} mail messages ${MAX_BATCH_ATTEMPTS} times`);
        }
        if (attempt > 1) await this.sleep(2 ** attempt * 50);
        const answer = await this.sendBatch(pending);
        checkDigests(pending, answer);
        const failed = answer.Failed ?? [];
        const senderFault = failed.find((f) => f.SenderFault);
        if (senderFault) {
          throw new Error(
            `SQS refused mail message ${senderFault.Id} as the sender's fault: ${senderFault.Code} ${senderFault.Message ?? ''}`.trim(),
          );
        }
        const retry = new Set(failed.map((f) => f.Id));
        pending = pending.filter((e) => retry.has(e.Id));
      }
    }
  }

  /** One SendMessageBatch, retried like the SDK's standard mode. */
  private async sendBatch(entries: Entry[]): Promise<BatchAnswer> {
    const text = await sendAwsJson({
      service: 'sqs',
      region: this.target.region,
      credentials: this.target.credentials,
      endpoint: this.endpoint,
      target: 'AmazonSQS.SendMessageBatch',
      contentType: 'application/x-amz-json-1.0',
      headers: { 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ QueueUrl: this.target.queueUrl, Entries: entries }),
      timeoutMs: this.target.timeoutMs,
      error: sqsError,
      retryCodes: (error) => [shortCode((error as SqsRequestError).queryCode)],
      sleep: this.sleep,
    });
    return JSON.parse(text) as BatchAnswer;
  }
}

/** `AWS.SimpleQueueService.RequestThrottled` → `RequestThrottled`. */
function shortCode(code: string | undefined): string {
  return code?.replace(/^AWS\.SimpleQueueService\./, '') ?? '';
}

/**
 * SQS's JSON error (`{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":…}`), with the
 * query-protocol code SQS adds in `x-amzn-query-error` (`AWS.SimpleQueueService.NonExistentQueue;Sender`)
 * when asked with `x-amzn-query-mode`.
 */
function sqsError(response: Response, text: string): SqsRequestError {
  const { code, message } = jsonProtocolError(response, text);
  const queryCode = response.headers.get('x-amzn-query-error')?.split(';')[0] || undefined;
  return new SqsRequestError(response.status, code || queryCode || 'Unknown', queryCode, message);
}

/** The client's check: every accepted entry's MD5 of its body is the MD5 of the body sent. */
function checkDigests(sent: Entry[], answer: BatchAnswer): void {
  const bodies = new Map(sent.map((e) => [e.Id, e.MessageBody]));
  const wrong = (answer.Successful ?? []).filter((s) => {
    const body = s.Id === undefined ? undefined : bodies.get(s.Id);
    return body !== undefined && createHash('md5').update(body, 'utf8').digest('hex') !== s.MD5OfMessageBody;
  });
  if (wrong.length > 0) {
    throw new Error(`SQS answered a wrong MD5 for mail messages ${wrong.map((s) => s.Id).join(', ')}`);
  }
}

/** The mail queue on SQS: {@link SqsJsonQueue} of mail messages. */
export class SqsMailQueue extends SqsJsonQueue<MailMessage> implements MailQueue {}
