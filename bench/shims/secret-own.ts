/** The same GetSecretValue as secret-sdk.ts, the way every function reads its keys (shared/adapters/keys.ts). */
import { awsCredentials } from '#shared/adapters/aws-signing.ts';
import { SignedSecretsManager } from '#shared/adapters/secrets-manager.ts';

const secrets = new SignedSecretsManager({ region: 'ap-southeast-1', credentials: awsCredentials() });

export const handler = async () => secrets.getSecretValue('link-key');
