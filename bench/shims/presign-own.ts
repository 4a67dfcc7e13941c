/** The same presigned POST and GET as presign-sdk.ts, the way the functions sign them (no S3 client). */
import { presignGetObject, reportsLocation, signPostPolicy } from '#shared/adapters/s3/s3-signing.ts';

const location = reportsLocation({
  AWS_REGION: 'ap-southeast-1',
  REPORTS_BUCKET: 'bucket',
  BAOCAO_S3_ENDPOINT: undefined,
});

export const handler = async () => [
  await signPostPolicy(location, { key: 'key', conditions: [], fields: {}, expiresInSeconds: 600 }),
  await presignGetObject(location, 'key', { expiresIn: 300 }),
];
