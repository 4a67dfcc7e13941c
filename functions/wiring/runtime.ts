import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import type { Config } from '#shared/config.ts';
import type { ExportInvoker } from '#shared/export/ports.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import { type Clock, type MailQueue, systemClock } from '#shared/ports.ts';
import type { SignatureQueue } from '#shared/signatures/ports.ts';

/**
 * The wiring of one runtime, as a value: its configuration, its clock, its DynamoDB client, its
 * mail queue and the way it starts the exporter. Each entry point builds exactly one — a Lambda
 * function once per cold start (from `process.env`), the local stack (emulators, in-process
 * queue and exporter, a pinned clock in tests), the CLI (the running local stack's endpoints, or
 * a deployed stage) — and hands it to the composition functions (`create…Deps(runtime)`), which
 * hand the use cases their ports. Nothing is swapped later: two runtimes can live in one process.
 */
export interface Runtime {
  readonly config: Config;
  readonly clock: Clock;
  /** DynamoDB (real or emulated): one client for every store of this runtime. */
  readonly dynamo: DynamoDBDocumentClient;
  /** SQS on AWS, the in-process queue locally; {@link NO_MAIL_QUEUE} where nothing is mailed. */
  readonly mailQueue: MailQueue;
  /** An asynchronous Lambda invoke on AWS, in-process locally; {@link NO_EXPORTER} where none is started. */
  readonly exportInvoker: ExportInvoker;
  /**
   * The reader of a plan's .pdf/.docx and the units' .xlsx: the document-reader Lambda on AWS,
   * in-process locally; undefined where no such file is read.
   */
  readonly documentReader: DocumentReader | undefined;
  /**
   * Where accepted PDFs go to have their signatures checked: SQS on AWS (on-upload, admin-api),
   * the in-process queue feeding the verifier locally; undefined where nothing is queued.
   */
  readonly signatureQueue: SignatureQueue | undefined;
}

/** Builds a runtime; what is not given is the AWS default (system clock, a new DynamoDB client). */
export function createRuntime(
  config: Config,
  parts: {
    clock?: Clock;
    dynamo?: DynamoDBDocumentClient;
    mailQueue?: MailQueue;
    exportInvoker?: ExportInvoker;
    documentReader?: DocumentReader;
    signatureQueue?: SignatureQueue;
  } = {},
): Runtime {
  return {
    config,
    clock: parts.clock ?? systemClock,
    dynamo: parts.dynamo ?? createDynamoDocumentClient(config),
    mailQueue: parts.mailQueue ?? NO_MAIL_QUEUE,
    exportInvoker: parts.exportInvoker ?? NO_EXPORTER,
    documentReader: parts.documentReader,
    signatureQueue: parts.signatureQueue,
  };
}

/** The mail queue of a runtime that sends no mail (the mailer itself, the SES events consumer, the public API). */
export const NO_MAIL_QUEUE: MailQueue = {
  enqueue: async () => {
    throw new Error('This runtime has no mail queue: MAIL_QUEUE_URL is not set here');
  },
};

/** The export starter of a runtime that starts no export. */
export const NO_EXPORTER: ExportInvoker = {
  invoke: async () => {
    throw new Error('This runtime cannot start the exporter: EXPORTER_FUNCTION_NAME is not set here');
  },
};
