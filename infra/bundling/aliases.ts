/**
 * Module substitutions of the Lambda bundles (esbuild `alias`), shared by the function construct
 * (infra/constructs/baocao-function.ts) and the benchmark's bundler (bench/lambda-bundle.ts).
 * Paths are relative to the repository root, esbuild's working directory in both.
 */
export const LAMBDA_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './infra/bundling/env-credentials.ts',
};
