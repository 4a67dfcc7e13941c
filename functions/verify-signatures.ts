import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import {
  type CommitteeDirectory,
  committeeDirectory,
  depsForMessage,
} from '#functions/wiring/committee-directory.ts';
import { createSignatureDeps } from '#functions/wiring/create-signature-deps.ts';
import { createRuntime } from '#functions/wiring/runtime.ts';
import { loadConfig } from '#shared/config.ts';
import { logger } from '#shared/powertools.ts';
import { lambdaHandler } from '#shared/powertools-handler.ts';
import { type CheckSignaturesDeps, checkSignatures } from '#shared/signatures/check-signatures.ts';
import { parseCheckRequest } from '#shared/signatures/requests.ts';

/**
 * SQS consumer of the signatures queue: each record is one kept PDF to check (queued by the
 * on-upload function once the file is recorded, or by a re-check). Its result is kept with the
 * submission version; nothing here can refuse or change an upload. A record that fails
 * (DynamoDB or S3 unavailable) is reported as a batch item failure and retried; after the
 * redrive limit it goes to the dead-letter queue, whose alarm tells the operator. A malformed
 * record is logged and dropped.
 */
export async function handleSignatureBatch(
  event: SQSEvent,
  committees: CommitteeDirectory<CheckSignaturesDeps>,
): Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const request = parseCheckRequest(record.body);
      if (!request) {
        logger.warn('Malformed signature check request dropped', { messageId: record.messageId });
        return;
      }
      // The request's committee (docs/tenancy.md): its file and its version record.
      const deps = await depsForMessage(committees, JSON.parse(record.body));
      const outcome = await checkSignatures(deps, request);
      logger.info('Signatures checked', {
        key: request.key,
        outcome: outcome.status,
        ...(outcome.status === 'checked'
          ? { indication: outcome.result.indication, code: outcome.result.code, saved: outcome.saved }
          : {}),
      });
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
}

/** The Powertools-wrapped handler over deps made on first use (once per cold start; the local stack passes its own). */
export function createVerifySignaturesHandler(makeDeps: () => CommitteeDirectory<CheckSignaturesDeps>) {
  let deps: CommitteeDirectory<CheckSignaturesDeps> | undefined;
  return lambdaHandler<SQSEvent, SQSBatchResponse>(async (event) => {
    deps ??= makeDeps();
    return handleSignatureBatch(event, deps);
  });
}

/** Lambda entry point (the signatures queue). */
export const handler = createVerifySignaturesHandler(() =>
  committeeDirectory(createRuntime(loadConfig()), (runtime) => createSignatureDeps(runtime)),
);
