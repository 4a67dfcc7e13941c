import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '#shared/config.ts';
import { LOCAL_CREDENTIALS, S3RVER_CREDENTIALS } from './local-credentials.ts';

/**
 * AWS clients for one runtime (functions/wiring/runtime.ts), which builds them once and reuses
 * them across invocations. In local mode the endpoints point at the emulators (with dummy
 * credentials, which the emulators accept).
 */

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

export function createS3Client(config: Config): S3Client {
  const endpoint = config.BAOCAO_S3_ENDPOINT;
  return new S3Client({
    region: config.AWS_REGION,
    ...(endpoint ? { endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS } : {}),
  });
}
