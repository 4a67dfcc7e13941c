import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { scopeDocumentClient } from '#shared/adapters/dynamodb/scoped-client.ts';
import type { Config } from '#shared/config.ts';
import type { ExportInvoker } from '#shared/export/ports.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import { type Clock, type MailQueue, systemClock } from '#shared/ports.ts';
import type { ScanQueue } from '#shared/scanning/ports.ts';
import type { SignatureQueue } from '#shared/signatures/ports.ts';
import type { Committee } from '#shared/tenancy/committee.ts';
import { type CommitteeScope, scopeOf } from '#shared/tenancy/scope.ts';

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
  /**
   * The committee this runtime works for (docs/tenancy.md): the deployment's first committee
   * (`COMMITTEE_ID`) as built, another one through {@link scopeRuntime}.
   */
  readonly scope: CommitteeScope;
  /**
   * DynamoDB (real or emulated) as the committee's stores see it: every partition key within
   * the committee's scope (shared/adapters/dynamodb/scoped-client.ts).
   */
  readonly dynamo: DynamoDBDocumentClient;
  /**
   * The same tables unscoped, for what belongs to the deployment and not to one committee: the
   * committee registry, sessions and sign-in links, rate-limit counters, the trust store.
   */
  readonly deploymentDynamo: DynamoDBDocumentClient;
  /** For a committee's runtime: the deployment's runtime it was scoped from (its first committee's). */
  readonly base?: Runtime | undefined;
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
  /**
   * Where kept files go to be scanned for malware in local mode (the in-process queue feeding
   * ClamAV; docs/malware-scanning.md); undefined on AWS, where GuardDuty scans them by itself.
   */
  readonly scanQueue?: ScanQueue | undefined;
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
    scanQueue?: ScanQueue;
  } = {},
): Runtime {
  const dynamo = parts.dynamo ?? createDynamoDocumentClient(config);
  return {
    config,
    clock: parts.clock ?? systemClock,
    scope: scopeOf(config.COMMITTEE_ID, config.COMMITTEE_ID),
    dynamo,
    deploymentDynamo: dynamo,
    mailQueue: parts.mailQueue ?? NO_MAIL_QUEUE,
    exportInvoker: parts.exportInvoker ?? NO_EXPORTER,
    documentReader: parts.documentReader,
    signatureQueue: parts.signatureQueue,
    ...(parts.scanQueue ? { scanQueue: parts.scanQueue } : {}),
  };
}

/**
 * The runtime of one committee of the deployment: the same clients and queues, its stores
 * scoped to it (the one place isolation is enforced: docs/tenancy.md), its S3 keys under its
 * prefix, its name and time zone (and its parent's name as the superior committee printed on
 * its report) in place of the configured first committee's.
 */
export function scopeRuntime(
  runtime: Runtime,
  committee: Pick<Committee, 'id' | 'name' | 'timeZone'>,
  parentName?: string,
): Runtime {
  const root = runtime.config.COMMITTEE_ID;
  if (runtime.scope.committeeId !== root || runtime.dynamo !== runtime.deploymentDynamo) {
    throw new Error('scopeRuntime: this runtime is already a committee runtime');
  }
  const scope = scopeOf(committee.id, root);
  return {
    ...runtime,
    base: runtime,
    scope,
    config: {
      ...runtime.config,
      COMMITTEE_NAME: committee.name,
      TIME_ZONE: committee.timeZone,
      // The configured first admins are the first committee's; another committee's first admin
      // is named when it is created (`committee add --admin`).
      COMMITTEE_EMAILS: [],
      ...(parentName !== undefined ? { SUPERIOR_COMMITTEE: parentName } : {}),
      objectPrefix: scope.objectPrefix,
    },
    dynamo: scope.keyPrefix
      ? scopeDocumentClient(runtime.deploymentDynamo, scope.keyPrefix)
      : runtime.deploymentDynamo,
    // What this committee queues or starts names it, so that the consumer works in its scope
    // (functions/wiring/committee-directory.ts `committeeOfMessage`).
    ...(scope.keyPrefix
      ? {
          mailQueue: { enqueue: (messages) => runtime.mailQueue.enqueue(stamp(messages, committee.id)) },
          exportInvoker: {
            invoke: (event) => runtime.exportInvoker.invoke(stamp([event], committee.id)[0]!),
          },
          signatureQueue: runtime.signatureQueue && {
            enqueue: (requests) => runtime.signatureQueue!.enqueue(stamp(requests, committee.id)),
          },
          scanQueue: runtime.scanQueue && {
            enqueue: (requests) => runtime.scanQueue!.enqueue(stamp(requests, committee.id)),
          },
        }
      : {}),
  };
}

/** Each item with the committee it belongs to (a field its consumer reads before anything else). */
function stamp<T extends object>(items: T[], committeeId: string): (T & { committeeId: string })[] {
  return items.map((item) => ({ ...item, committeeId }));
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
