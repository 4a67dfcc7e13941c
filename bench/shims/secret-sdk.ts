/** A GetSecretValue the SDK's way (Secrets Manager client): the `levers` group's reference. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const client = new SecretsManagerClient({});

export const handler = async () => client.send(new GetSecretValueCommand({ SecretId: 'link-key' }));
