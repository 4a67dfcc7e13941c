/**
 * Stand-in for `@aws-sdk/credential-provider-node` in a Lambda bundle (the `levers` group aliases
 * it): Lambda passes the function's credentials in the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first source of the default chain, so the rest
 * of the chain (ini files, SSO, web identity, process, IMDS/ECS and the STS/SSO clients they
 * carry) is never reached there.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
