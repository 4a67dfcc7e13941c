/**
 * Credentials of the local emulators (local mode and tests only; never used on AWS).
 * Apart from aws-clients.ts so that signing code can name them without importing any client.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** s3rver checks the access key id of signed requests: only its built-in account exists. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
