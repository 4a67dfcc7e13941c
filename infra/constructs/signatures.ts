import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Names } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TrustAnchor } from '#shared/signatures/ports.ts';
import { describeAnchor, readCertificateFile } from '#shared/signatures/trust-anchors.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import type { BaocaoFunction as BaocaoFunctionType, FunctionSettings } from './baocao-function.ts';
import { BaocaoFunction } from './baocao-function.ts';
import { MAX_UPLOAD_BYTES, REPORTS_PREFIX, resourceNames, type StatefulResources } from './environment.ts';
import { createDeadLetterQueue, createWorkQueue } from './queues.ts';
import { grantRegistryRead } from './registry-read.ts';

/** The verifier's timeout: one batch of files of up to 25 MiB each, read and hashed once. */
export const VERIFIER_TIMEOUT = Duration.seconds(120);
/** 1024 MB: a 25 MiB file in memory and a full vCPU share for the hash and the RSA/ECDSA checks. */
export const VERIFIER_MEMORY_MB = 1024;
/** Files per verifier invocation: five 25 MiB files stay well inside memory and the timeout. */
export const SIGNATURE_BATCH_SIZE = 5;
/** Concurrent verifiers: checks are not urgent; the account's concurrency stays for people. */
export const VERIFIER_MAX_CONCURRENCY = 2;

/** The folder of trust anchors deployed with the stack (its README says what may go there). */
export const TRUST_FOLDER = fileURLToPath(new URL('../../trust/', import.meta.url));
const CERT_EXTENSIONS = new Set(['.crt', '.cer', '.pem', '.p7b']);

/** Properties of {@link Signatures}. */
export interface SignaturesProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  /** Where the deployed trust anchors are read from. @default TRUST_FOLDER (`trust/`) */
  readonly trustFolder?: string;
}

/**
 * Checking digital signatures (docs/signatures.md): the on-upload function queues each accepted
 * PDF; the verifier (`functions/verify-signatures.ts`, with pkijs, kept out of the on-upload
 * bundle) checks it and keeps the result with the submission version.
 *
 * - **Signatures queue** (SQS-managed encryption, TLS only), visibility 6× the verifier's
 *   timeout, dead-letter queue after 5 receives (alarmed by Monitoring like every DLQ it is given).
 * - **Verifier**: SQS event source, batches of {@link SIGNATURE_BATCH_SIZE}, partial batch
 *   failures, at most {@link VERIFIER_MAX_CONCURRENCY} at once. It reads kept reports
 *   (`reports/*`), the trust anchors (partition `TRUST` of the plans table, read only) and the
 *   deployed trust store asset, and updates the versions and assignments of the submissions table.
 * - **Trust store asset**: a JSON list of the anchors found in `trust/` at synth time (the
 *   repository ships none: the operator puts the roots obtained from their publishers there),
 *   uploaded as a CDK asset; anchors added with `baocao trust add` are kept in the table.
 */
export class Signatures extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly verifier: BaocaoFunctionType;
  readonly trustAsset: Asset;
  /** How many anchors the deployed asset holds. */
  readonly deployedAnchors: number;

  constructor(scope: Construct, id: string, props: SignaturesProps) {
    super(scope, id);
    const { stateful } = props;

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = createWorkQueue(this, 'Queue', {
      consumerTimeout: VERIFIER_TIMEOUT,
      deadLetterQueue: this.deadLetterQueue,
    });

    const anchors = readTrustFolder(props.trustFolder ?? TRUST_FOLDER);
    this.deployedAnchors = anchors.length;
    this.trustAsset = new Asset(this, 'TrustStore', { path: writeTrustAsset(anchors) });

    this.verifier = new BaocaoFunction(this, 'Verifier', {
      entry: 'verify-signatures',
      settings: props.settings,
      memorySize: VERIFIER_MEMORY_MB,
      timeout: VERIFIER_TIMEOUT,
      environment: {
        ...resourceNames(stateful),
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        TRUST_ASSET_BUCKET: this.trustAsset.s3BucketName,
        TRUST_ASSET_KEY: this.trustAsset.s3ObjectKey,
      },
    });
    // Results: a GetItem and conditional UpdateItems on versions and assignments; nothing else.
    stateful.submissionsTable.grant(this.verifier, 'dynamodb:GetItem', 'dynamodb:UpdateItem');
    // The trust anchors (one Query of partition TRUST of the plans table), and the registry: the
    // committee a request names (docs/tenancy.md).
    grantRegistryRead(this.verifier, stateful.plansTable, ['TRUST']);
    // The kept reports, exactly the version recorded.
    Grant.addToPrincipal({
      grantee: this.verifier,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [stateful.reportsBucket.arnForObjects(`${REPORTS_PREFIX}*`)],
    });
    // The asset object only.
    Grant.addToPrincipal({
      grantee: this.verifier,
      actions: ['s3:GetObject'],
      resourceArns: [this.trustAsset.bucket.arnForObjects(this.trustAsset.s3ObjectKey)],
    });
    this.verifier.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: SIGNATURE_BATCH_SIZE,
        reportBatchItemFailures: true,
        maxConcurrency: VERIFIER_MAX_CONCURRENCY,
      }),
    );

    acknowledge(
      this.verifier.function,
      'Serverless-LambdaDLQ',
      "Invoked only by the SQS event source of the signatures queue, never asynchronously: a failed message returns to the queue and, after 5 receives, the queue's redrive policy moves it to the signatures dead-letter queue.",
    );
    acknowledge(
      this.verifier.function.node.findChild(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`),
      'Serverless-LambdaEventSourceMappingDestination',
      'SQS event source mappings do not support on-failure destinations (only stream and Kafka sources do); failures go back to the signatures queue and then to its dead-letter queue (maxReceiveCount 5).',
    );
    acknowledgeWildcardResource(
      this.verifier.role,
      stateful.reportsBucket.arnForObjects(`${REPORTS_PREFIX}*`),
      'Each message names one kept report under reports/<plan>/<year>/<unit>/<id>/<sha256>, a key known only when the upload arrived: the verifier reads it (GetObject, GetObjectVersion), nothing else, reports/ prefix only.',
    );
  }

  /** Lets `grantee` queue files for checking (the on-upload function, the admin function's re-check). */
  allowEnqueue(fn: BaocaoFunctionType): void {
    this.queue.grantSendMessages(fn as IGrantable);
    fn.function.addEnvironment('SIGNATURE_QUEUE_URL', this.queue.queueUrl);
  }
}

/** The anchors of the certificate files in `folder` (none when it holds none, or is missing). */
export function readTrustFolder(folder: string): TrustAnchor[] {
  let names: string[];
  try {
    names = readdirSync(folder).sort();
  } catch {
    return [];
  }
  const anchors = new Map<string, TrustAnchor>();
  for (const name of names.filter((n) => CERT_EXTENSIONS.has(extname(n).toLowerCase()))) {
    for (const der of readCertificateFile(readFileSync(join(folder, name)), name)) {
      // A fixed date: the asset (and its hash) changes only when the certificates do.
      const anchor = describeAnchor(der, '1970-01-01T00:00:00.000Z');
      anchors.set(anchor.id, anchor);
    }
  }
  return [...anchors.values()];
}

/** Writes the asset file (a JSON list of anchors) and returns its path. */
function writeTrustAsset(anchors: TrustAnchor[]): string {
  const dir = join(tmpdir(), 'baocao-trust-asset');
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify({ anchors }, null, 2)}\n`;
  const file = join(dir, `trust-store-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  writeFileSync(file, text);
  return file;
}
