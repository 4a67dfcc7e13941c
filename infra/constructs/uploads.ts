import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';
import {
  MAX_UPLOAD_BYTES,
  QUARANTINE_PREFIX,
  REPORTS_PREFIX,
  type ReportRetention,
  reportRetentionEnvironment,
  resourceNames,
  type StatefulResources,
  UPLOADS_PREFIX,
} from './environment.ts';
import { createFailureQueue } from './queues.ts';

/** on-upload: one object read as a stream (≤ 25 MiB), one copy (kept or quarantined), a few writes. */
export const ON_UPLOAD_TIMEOUT = Duration.seconds(60);
/** 512 MB: twice the CPU and network share of 256 MB for hashing a 25 MiB object. */
export const ON_UPLOAD_MEMORY_MB = 512;

/** How long browsers may cache the bucket's answer to a CORS preflight. */
export const CORS_MAX_AGE_SECONDS = 3000;

/** Properties of {@link Uploads}. */
export interface UploadsProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  readonly mailQueue: IQueue;
  /**
   * The origin the upload page is served from (`appOrigin`, or the HTTP API's endpoint): the one
   * origin the reports bucket's CORS rule allows to POST.
   */
  readonly appOrigin: string;
  /** Object Lock retention of each kept report (`REPORT_RETENTION_YEARS`, `REPORT_LOCK_MODE`). */
  readonly retention: ReportRetention;
}

/**
 * Recording uploads: the reports bucket's `ObjectCreated` events under the landing prefix
 * `uploads/` invoke the on-upload function (functions/on-upload.ts) asynchronously; failed
 * events are retried twice within an hour, then kept in an on-failure queue. on-upload checks
 * the landing object, copies it to its kept key under `reports/` with Object Lock retention (or,
 * a replay or an unknown object, to `quarantine/<landing key>`), then deletes the landing object.
 *
 * The bucket belongs to the stateful stack and the function to this one, so two bucket settings
 * that name service resources are applied from here, by SDK calls in custom resources (the way
 * CDK itself configures notifications of a bucket it does not own), each with a role that may
 * change only this bucket's setting:
 * - the event notification (`PutBucketNotificationConfiguration`, prefix `uploads/`: the copies
 *   on-upload writes under `reports/` and `quarantine/` never invoke it);
 * - the CORS rule (`PutBucketCors`): POST from {@link UploadsProps.appOrigin} only — the API's
 *   URL is known only here, and a wildcard over every API Gateway host would let any page on
 *   any API in the region post to the bucket.
 * Deleting the service stack removes both; the bucket and its objects stay.
 */
export class Uploads extends Construct {
  readonly onUpload: BaocaoFunction;
  /** S3 events that failed every attempt. */
  readonly failureQueue: Queue;
  /** Runs the two SDK calls; may change only the notification and CORS of the reports bucket. */
  readonly bucketSettingsRole: Role;
  readonly bucketNotification: AwsCustomResource;
  readonly bucketCors: AwsCustomResource;

  constructor(scope: Construct, id: string, props: UploadsProps) {
    super(scope, id);
    const bucket = props.stateful.reportsBucket;

    this.onUpload = new BaocaoFunction(this, 'OnUpload', {
      entry: 'on-upload',
      settings: props.settings,
      memorySize: ON_UPLOAD_MEMORY_MB,
      timeout: ON_UPLOAD_TIMEOUT,
      environment: {
        ...resourceNames(props.stateful),
        MAIL_QUEUE_URL: props.mailQueue.queueUrl,
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
        ...reportRetentionEnvironment(props.retention),
      },
    });
    props.stateful.plansTable.grantReadData(this.onUpload);
    props.stateful.submissionsTable.grantReadWriteData(this.onUpload);
    // The landing object: read (and HEAD) the exact version the event names, copy it on, then
    // delete that version. Nothing under uploads/ is kept, so its versions may be erased.
    Grant.addToPrincipal({
      grantee: this.onUpload,
      actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
      resourceArns: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
    });
    // The kept copy: CopyObject to reports/<plan>/<year>/<unit>/<id> with its Object Lock
    // retention (s3:PutObjectRetention). No delete, no legal hold, no tagging under reports/:
    // grantPut would add s3:PutObjectLegalHold, tagging and Abort*.
    Grant.addToPrincipal({
      grantee: this.onUpload,
      actions: ['s3:PutObject', 's3:PutObjectRetention'],
      resourceArns: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
    });
    // Read the kept copy back (a retry finds the copy it made before); s3:ListBucket, part of
    // grantRead, makes S3 answer 404 rather than 403 for a missing key, under every prefix.
    bucket.grantRead(this.onUpload, `${REPORTS_PREFIX}*`);
    // Copy replays and unknown objects to quarantine/<landing key> and find an earlier copy there.
    bucket.grantPut(this.onUpload, `${QUARANTINE_PREFIX}*`);
    bucket.grantRead(this.onUpload, `${QUARANTINE_PREFIX}*`);
    props.mailQueue.grantSendMessages(this.onUpload);

    this.failureQueue = createFailureQueue(this, 'FailureQueue');
    this.onUpload.sendAsyncFailuresTo(this.failureQueue);

    // S3 checks, when the notification is written, that it may invoke the function.
    this.onUpload.function.addPermission('InvokedByReportsBucket', {
      principal: new ServicePrincipal('s3.amazonaws.com'),
      sourceArn: bucket.bucketArn,
      sourceAccount: Stack.of(this).account,
    });
    const permission = this.onUpload.function.permissionsNode.findChild('InvokedByReportsBucket');

    this.bucketSettingsRole = new Role(this, 'BucketSettingsRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'baocao: writes the reports bucket notification and CORS rule during deployments',
    });
    const logGroup = new LogGroup(this, 'BucketSettingsLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(this.bucketSettingsRole);
    const provider = {
      role: this.bucketSettingsRole,
      logGroup,
      memorySize: 256,
      timeout: Duration.minutes(2),
      // The SDK in the Lambda runtime has both calls; no download from npm during a deploy.
      installLatestAwsSdk: false,
    };

    const notificationCall = (lambdaArn?: string): AwsSdkCall => ({
      service: 'S3',
      action: 'putBucketNotificationConfiguration',
      parameters: {
        Bucket: bucket.bucketName,
        NotificationConfiguration: lambdaArn
          ? {
              LambdaFunctionConfigurations: [
                {
                  Id: 'baocao-on-upload',
                  LambdaFunctionArn: lambdaArn,
                  Events: ['s3:ObjectCreated:*'],
                  Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: UPLOADS_PREFIX }] } },
                },
              ],
            }
          : {},
      },
      physicalResourceId: PhysicalResourceId.of('reports-bucket-notification'),
    });
    this.bucketNotification = new AwsCustomResource(this, 'BucketNotification', {
      ...provider,
      resourceType: 'Custom::ReportsBucketNotification',
      onCreate: notificationCall(this.onUpload.function.functionArn),
      onUpdate: notificationCall(this.onUpload.function.functionArn),
      // The bucket outlives this stack: leave it with no notification rather than a dangling one.
      onDelete: notificationCall(),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['s3:PutBucketNotification'], resources: [bucket.bucketArn] }),
      ]),
    });
    this.bucketNotification.node.addDependency(permission);

    const corsCall: AwsSdkCall = {
      service: 'S3',
      action: 'putBucketCors',
      parameters: {
        Bucket: bucket.bucketName,
        CORSConfiguration: {
          CORSRules: [
            {
              // The upload page posts each file straight to S3 with a presigned POST.
              AllowedMethods: ['POST'],
              AllowedOrigins: [props.appOrigin],
              AllowedHeaders: ['*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: CORS_MAX_AGE_SECONDS,
            },
          ],
        },
      },
      physicalResourceId: PhysicalResourceId.of('reports-bucket-cors'),
    };
    this.bucketCors = new AwsCustomResource(this, 'BucketCors', {
      ...provider,
      resourceType: 'Custom::ReportsBucketCors',
      onCreate: corsCall,
      onUpdate: corsCall,
      onDelete: {
        service: 'S3',
        action: 'deleteBucketCors',
        parameters: { Bucket: bucket.bucketName },
        physicalResourceId: PhysicalResourceId.of('reports-bucket-cors'),
      },
      // PutBucketCors and DeleteBucketCors are both authorized as s3:PutBucketCORS.
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [bucket.bucketArn] }),
      ]),
    });

    this.acknowledgeFindings(props);
  }

  private acknowledgeFindings(props: UploadsProps): void {
    const bucket = props.stateful.reportsBucket;
    acknowledge(
      this.onUpload.function,
      'Serverless-LambdaDLQ',
      'Asynchronous failures go to an on-failure destination (EventInvokeConfig: 2 retries within an hour, then the upload failure queue), which keeps the error with the S3 event; a legacy dead-letter queue would duplicate it.',
    );
    const role = this.onUpload.role;
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
      acknowledge(
        role,
        `AwsSolutions-IAM5[Action::${action}]`,
        'CDK grantRead on reports/* and quarantine/* of the reports bucket: on-upload reads back the kept copy it made and looks for an earlier quarantine copy (ListBucket turns a missing key into 404); every action in the set is a read.',
      );
    }
    acknowledge(
      role,
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      'Part of grantPut on quarantine/* only: s3:Abort* matches s3:AbortMultipartUpload alone; the quarantine copy is a single CopyObject.',
    );
    acknowledgeWildcardResource(
      role,
      bucket.arnForObjects(`${UPLOADS_PREFIX}*`),
      'Each event names one landing object under uploads/<plan>/<year>/<unit>/<id>, a key chosen when the upload was granted: the function reads that version, copies it on and deletes it (versions included: nothing under uploads/ is kept). Get, GetVersion, Delete, DeleteVersion only, uploads/ prefix only.',
    );
    acknowledgeWildcardResource(
      role,
      bucket.arnForObjects(`${REPORTS_PREFIX}*`),
      'The kept copy of each accepted upload goes to reports/<plan>/<year>/<unit>/<id>, a key known only when the upload arrives: PutObject with PutObjectRetention (its Object Lock date) and reads of the copy. No delete, legal hold or tagging, reports/ prefix only.',
    );
    acknowledgeWildcardResource(
      role,
      bucket.arnForObjects(`${QUARANTINE_PREFIX}*`),
      'A replayed or unknown upload is copied to quarantine/<its landing key> with the reason, and a retry reads that copy back; put and read only, no delete, quarantine/ prefix only.',
    );

    // CDK's provider function of every AwsCustomResource in the stack (a singleton).
    const provider = Stack.of(this).node.findChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`,
    );
    acknowledge(
      provider,
      'Serverless-LambdaDLQ',
      "CDK's AwsCustomResource provider, invoked by CloudFormation during deployments only: CloudFormation waits for its answer and fails the deployment (rolling back) when it does not come, so there is no event to keep.",
    );
    acknowledge(
      provider,
      'Serverless-LambdaTracing',
      'CDK\'s AwsCustomResource provider runs two S3 configuration calls per deployment; its explicit log group records each call and its result, and X-Ray would need a role grant on "*" for nothing more.',
    );
  }
}
