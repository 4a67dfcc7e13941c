import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { type BaocaoConfig, CONTEXT_KEYS, parseConfig, type RawContext } from './config.ts';
import { ServiceStack } from './service-stack.ts';
import { StatefulStack } from './stateful-stack.ts';

/**
 * Feature flags the app relies on. cdk.json carries its own; these are given to the App as well
 * so that a test building the app without the CLI synthesizes the very same templates.
 */
export const FEATURE_FLAGS = {
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Deliver server access logs through a bucket policy: the log bucket keeps ACLs disabled.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Exports between the stacks: the stateful stack cannot be deleted while the service uses it.
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
} as const;

/** What {@link buildApp} returns: the app, its validated configuration and both stacks. */
export interface BaocaoApp {
  readonly app: App;
  readonly config: BaocaoConfig;
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** Cloud assembly directory. @default - the CLI's `cdk.out`, or a temporary directory */
  readonly outdir?: string;
  /**
   * Bundle the functions with esbuild. Template tests turn it off (CDK's
   * `aws:cdk:bundling-stacks` context): the templates are the same except for the asset hashes,
   * and each app builds in about a second instead of bundling eight functions.
   * @default true
   */
  readonly bundle?: boolean;
}

/**
 * Builds the baocao CDK app: `Baocao-<stage>-Stateful` (tables, bucket, secrets) and
 * `Baocao-<stage>-Service` (API and functions), checked by cdk-nag's AwsSolutions and
 * Serverless packs on synth.
 *
 * @param context context values (see {@link parseConfig} for the keys and defaults). Under the
 *   CDK CLI, `-c key=value` and cdk.json context are read as well and take precedence.
 * @throws ConfigError naming every invalid context value.
 */
export function buildApp(context: RawContext = {}, options: BuildAppOptions = {}): BaocaoApp {
  const app = new App({
    context: {
      ...FEATURE_FLAGS,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...context,
    },
    outdir: options.outdir,
  });
  const config = parseConfig(
    Object.fromEntries(CONTEXT_KEYS.map((key) => [key, app.node.tryGetContext(key)])),
  );

  Tags.of(app).add('project', 'baocao');
  Tags.of(app).add('stage', config.stage);

  const prefix = `Baocao-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    description: `baocao (${config.stage}): tables and their backups, reports bucket and secrets; every data store is retained`,
    reportRetentionYears: config.reportRetentionYears,
  });
  const service = new ServiceStack(app, `${prefix}-Service`, {
    description: `baocao (${config.stage}): HTTP API, functions, queues, schedule, SES and alarms`,
    config,
    stateful,
  });

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, config, stateful, service };
}
