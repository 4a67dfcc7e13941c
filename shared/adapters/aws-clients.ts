import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '#shared/config.ts';
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS } from './local-credentials.ts';

/**
 * AWS clients, built once per process and reused across invocations. In local mode the
 * endpoints point at the emulators (with dummy credentials, which the emulators accept).
 */

let documentClient: DynamoDBDocumentClient | undefined;
let s3Client: S3Client | undefined;

export function dynamoDocumentClient(config: Config): DynamoDBDocumentClient {
  documentClient ??= createDynamoDocumentClient(config);
  return documentClient;
}

export function createDynamoDocumentClient(config: Config): DynamoDBDocumentClient {
  const endpoint = config.BAOCAO_DYNAMODB_ENDPOINT;
  const client = new DynamoDBClient({
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function s3(config: Config): S3Client {
  s3Client ??= createS3Client(config);
  return s3Client;
}

export function createS3Client(config: Config): S3Client {
  const endpoint = config.BAOCAO_S3_ENDPOINT;
  return new S3Client({
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS } : {}),
  });
}

/** Forget cached clients (the local stack and tests change endpoints between runs). */
export function resetClients(): void {
  documentClient = undefined;
  s3Client = undefined;
}
