import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type IGrantable,
  type IPrincipal,
  Policy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_ALIASES } from '../bundling/aliases.ts';
import { acknowledge } from '../nag.ts';

/** Repository root: entries, package.json and package-lock.json are resolved from here. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The Lambda runtime of every function: the newest Node.js LTS that aws-cdk-lib offers.
 * cdk-nag (AwsSolutions-L1, Serverless-LambdaLatestVersion) flags anything older.
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** Powertools service name of every function (`POWERTOOLS_SERVICE_NAME`): its metrics' `service` dimension. */
export const POWERTOOLS_SERVICE_NAME = 'baocao';

/** CloudWatch namespace of every function's business metrics (`POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Baocao';

/** esbuild target matching {@link FUNCTION_RUNTIME}. */
const ESBUILD_TARGET = 'node24';

/** Retries of a failed asynchronous invocation (S3 events, the scheduler, another function). */
export const ASYNC_RETRY_ATTEMPTS = 2;

/** An asynchronous event older than this is not retried again but sent to the on-failure queue. */
export const ASYNC_MAX_EVENT_AGE = Duration.hours(1);

/** Options of {@link BaocaoFunction.sendAsyncFailuresTo}. */
export interface AsyncFailureOptions {
  /** @default ASYNC_RETRY_ATTEMPTS (2) */
  readonly retryAttempts?: number;
  /** @default ASYNC_MAX_EVENT_AGE (1 hour) */
  readonly maxEventAge?: Duration;
}

/** Settings every function receives as environment variables. */
export interface FunctionSettings {
  /** Shown in pages and e-mails (`COMMITTEE_NAME`). */
  readonly committeeName: string;
  /** IANA time zone of the deadlines (`TIME_ZONE`). */
  readonly timeZone: string;
  /** Powertools log level (`LOG_LEVEL`). @default 'INFO' */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** Properties of {@link BaocaoFunction}. */
export interface BaocaoFunctionProps {
  /**
   * The entry point's name: `functions/<entry>.ts`, kebab-case, verb-noun (e.g. `on-upload`).
   * The file must export `handler`.
   */
  readonly entry: string;
  /** App-wide settings turned into environment variables. */
  readonly settings: FunctionSettings;
  /**
   * The function's own environment, merged over the defaults (`POWERTOOLS_SERVICE_NAME`,
   * `POWERTOOLS_METRICS_NAMESPACE`, `LOG_LEVEL`, `TIME_ZONE`, `COMMITTEE_NAME`, `NODE_OPTIONS`).
   * A key given here wins over the default of the same name.
   */
  readonly environment?: Record<string, string>;
  /** Node options after `--enable-source-maps` (`NODE_OPTIONS`), e.g. V8 heap flags. */
  readonly nodeFlags?: readonly string[];
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default - "baocao <entry>" */
  readonly description?: string;
}

/**
 * A Lambda function with every house default in one place: the newest Node.js LTS on arm64,
 * explicit memory and timeout, active tracing, its own log group (3 months), source maps, and
 * an ESM bundle built by the local esbuild with the AWS SDK inside.
 *
 * The role starts empty (no AWS managed policy): the function may write to its own log group
 * and send traces (a separate `TracingPolicy`), and every other permission is granted by the capability construct that owns
 * the function, through L2 `grant*` methods (`table.grantReadData(fn)`).
 *
 * @example
 * const onUpload = new BaocaoFunction(this, 'OnUpload', {
 *   entry: 'on-upload',
 *   settings: props.settings,
 *   environment: { SUBMISSIONS_TABLE: props.submissionsTable.tableName },
 * });
 * props.submissionsTable.grantReadWriteData(onUpload);
 */
export class BaocaoFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** The function's timeout (queues consumed by it size their visibility timeout from it). */
  readonly timeout: Duration;

  constructor(scope: Construct, id: string, props: BaocaoFunctionProps) {
    super(scope, id);

    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.entry)) {
      throw new Error(`BaocaoFunction ${this.node.path}: entry "${props.entry}" must be a kebab-case name`);
    }
    const entry = join(REPO_ROOT, 'functions', `${props.entry}.ts`);
    if (!existsSync(entry)) {
      throw new Error(`BaocaoFunction ${this.node.path}: entry file ${entry} does not exist`);
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.THREE_MONTHS,
      // Keeps the last months of evidence after a teardown; the name is generated, so a
      // redeployed service stack never collides with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // No AWSLambdaBasicExecutionRole: it grants logs:CreateLogGroup and writes to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `baocao ${props.entry} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.timeout = props.timeout ?? Duration.seconds(10);
    this.function = new NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      description: props.description ?? `baocao ${props.entry}`,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: this.timeout,
      logGroup: this.logGroup,
      role: this.role,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      environment: {
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: props.settings.logLevel ?? 'INFO',
        TIME_ZONE: props.settings.timeZone,
        COMMITTEE_NAME: props.settings.committeeName,
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeFlags ?? [])].join(' '),
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        platform: 'node',
        // Some CommonJS dependencies call require(); ESM output has none unless we make one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // Prefer the ESM builds: smaller bundles and faster cold starts with the AWS SDK.
        mainFields: ['module', 'main'],
        minify: true,
        // Domain errors set `this.name = new.target.name`: keep class names readable in logs.
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        // The AWS SDK is bundled: pinned versions, and tree-shaken ESM loads faster.
        externalModules: [],
        // Credentials from the environment only (infra/bundling/env-credentials.ts). Resolved from
        // the repository root, the working directory of local bundling (the only kind used here:
        // esbuild is a devDependency, so CDK never falls back to Docker).
        esbuildArgs: {
          '--alias': Object.entries(LAMBDA_ALIASES).map(([from, to]) => `${from}=${to}`),
          // Vietnamese text as UTF-8 (2–3 bytes a letter), not esbuild's default `\uXXXX` escapes
          // (6): setup-api −10 KB, admin-api −5 KB. Node reads every module as UTF-8. (The
          // construct's `charset` prop is not passed on to esbuild by this aws-cdk-lib.)
          '--charset': 'utf8',
        },
      },
    });

    this.enableTracing();
  }

  /**
   * For a function invoked asynchronously: Lambda retries a failed event at most
   * {@link ASYNC_RETRY_ATTEMPTS} times within {@link ASYNC_MAX_EVENT_AGE}, then sends it, with the
   * error, to `queue` (the function's role is granted `sqs:SendMessage` on it). Nothing is lost
   * silently: the monitoring construct alarms on every message in that queue.
   */
  sendAsyncFailuresTo(queue: IQueue, options: AsyncFailureOptions = {}): void {
    this.function.configureAsyncInvoke({
      onFailure: new SqsDestination(queue),
      retryAttempts: options.retryAttempts ?? ASYNC_RETRY_ATTEMPTS,
      maxEventAge: options.maxEventAge ?? ASYNC_MAX_EVENT_AGE,
    });
  }

  /**
   * Active X-Ray tracing, with its permission in a policy of its own. `tracing: Tracing.ACTIVE`
   * would add `xray:*` on "*" to the role's default policy, where acknowledging cdk-nag's
   * `IAM5[Resource::*]` would also hide any later grant on "*". Here the acknowledgement covers
   * this one policy, and a grant on "*" anywhere else is still reported.
   */
  private enableTracing(): void {
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: Tracing.ACTIVE };
    const tracingPolicy = new Policy(this, 'TracingPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          resources: ['*'],
        }),
      ],
    });
    this.function.node.addDependency(tracingPolicy);
    acknowledge(
      tracingPolicy,
      'AwsSolutions-IAM5[Resource::*]',
      'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so they can only be granted on "*". This policy holds nothing else.',
    );
  }

  /** The function's role, so that `bucket.grantRead(fn)` works on the construct itself. */
  get grantPrincipal(): IPrincipal {
    return this.function.grantPrincipal;
  }
}
