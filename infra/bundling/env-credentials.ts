/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (see
 * {@link LAMBDA_ALIASES}). Lambda hands every function its role's credentials in the environment
 * (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), the first source of the
 * SDK's default chain, so the rest of the chain (shared ini files, SSO, web identity, process,
 * container and instance metadata, and the STS/SSO clients they carry: ~120 KB minified per
 * function) is never reached there and only costs cold-start time.
 *
 * Only the bundles use this: the CLI, local mode and the tests run the sources with the full
 * default chain. Every SDK client imports nothing but `defaultProvider` from the package (checked
 * by test/infra/bundling.test.ts), so that is all this module provides.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
