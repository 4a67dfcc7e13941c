import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '#shared/config.ts';

/**
 * AWS clients, built once per process and reused across invocations. In local mode the
 * endpoints point at the emulators (with dummy credentials, which the emulators accept).
 */
const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
/** s3rver checks the access key id of signed requests: only its built-in account exists. */
const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

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
    ...(endpoint ? { endpoint, credentials: localCredentials } : {}),
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
    ...(endpoint ? { endpoint, forcePathStyle: true, credentials: s3rverCredentials } : {}),
  });
}

/** Forget cached clients (the local stack and tests change endpoints between runs). */
export function resetClients(): void {
  documentClient = undefined;
  s3Client = undefined;
}
