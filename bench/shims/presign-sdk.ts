/** A presigned POST and GET the SDK's way (S3 client + presigners): the `levers` group's reference. */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const client = new S3Client({});

export const handler = async () => [
  await createPresignedPost(client, { Bucket: 'bucket', Key: 'key', Expires: 600 }),
  await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: 'key' }), { expiresIn: 300 }),
];
