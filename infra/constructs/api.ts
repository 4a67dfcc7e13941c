import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';

/** Key prefix of uploaded reports; the public function may write there and nowhere else. */
export const REPORTS_PREFIX = 'reports/';

/** Default-stage throttling: generous for a committee's few hundred units, a lid on abuse. */
export const API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;

/** Properties of {@link Api}. */
export interface ApiProps {
  readonly settings: FunctionSettings;
  readonly plansTable: ITable;
  readonly submissionsTable: ITable;
  readonly reportsBucket: IBucket;
  readonly linkKeySecret: ISecret;
  readonly sessionKeySecret: ISecret;
  /** SES-verified sender of every e-mail (`SENDER_EMAIL`). */
  readonly senderEmail: string;
  /** Addresses allowed to sign in to `/admin` (`COMMITTEE_EMAILS`, comma-separated). */
  readonly committeeEmails: readonly string[];
  /**
   * Origin the app is served from (custom domain). Allowed by CORS and used as `APP_ORIGIN`.
   * @default - the API's own endpoint; no CORS configuration (pages and API share an origin)
   */
  readonly appOrigin?: string;
}

/**
 * The HTTP API and its two functions.
 *
 * - `public-api` (functions/public-api.ts): a unit's upload page and JSON under `/u/{token}`.
 *   It reads plans, records submissions, signs presigned POSTs for `reports/*` only, and can
 *   never read a report.
 * - `admin-api` (functions/admin-api.ts): the committee's pages (`/`, `/admin…`) and JSON
 *   (`/api/…`), behind the app's own e-mailed sign-in.
 *
 * Routes carry no API Gateway authorizer: each function checks its own signed token or
 * session cookie (see the APIG4 acknowledgements below and docs/infra.md).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly publicFunction: BaocaoFunction;
  readonly adminFunction: BaocaoFunction;
  /** Base URL of the default stage (`https://….execute-api.….amazonaws.com/`). */
  readonly url: string;
  /** Origin links in e-mails point at: `appOrigin`, or the API endpoint. */
  readonly appOrigin: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'baocao: unit upload pages and committee pages',
      // The default stage is created below, with throttling and access logs.
      createDefaultStage: false,
      corsPreflight: props.appOrigin
        ? {
            allowOrigins: [props.appOrigin],
            allowMethods: [
              CorsHttpMethod.GET,
              CorsHttpMethod.POST,
              CorsHttpMethod.PUT,
              CorsHttpMethod.DELETE,
            ],
            allowHeaders: ['content-type'],
            allowCredentials: true,
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        // JSON, one object per request. `routeKey` instead of `path`: paths carry unit tokens.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });
    this.url = this.stage.url;
    this.appOrigin = props.appOrigin ?? this.httpApi.apiEndpoint;

    const shared = {
      PLANS_TABLE: props.plansTable.tableName,
      SUBMISSIONS_TABLE: props.submissionsTable.tableName,
      REPORTS_BUCKET: props.reportsBucket.bucketName,
      LINK_KEY_SECRET_ARN: props.linkKeySecret.secretArn,
      SENDER_EMAIL: props.senderEmail,
      APP_ORIGIN: this.appOrigin,
    };

    this.publicFunction = new BaocaoFunction(this, 'PublicApi', {
      entry: 'public-api',
      settings: props.settings,
      environment: shared,
    });
    props.plansTable.grantReadData(this.publicFunction);
    props.submissionsTable.grantReadWriteData(this.publicFunction);
    props.reportsBucket.grantPut(this.publicFunction, `${REPORTS_PREFIX}*`);
    props.linkKeySecret.grantRead(this.publicFunction);

    this.adminFunction = new BaocaoFunction(this, 'AdminApi', {
      entry: 'admin-api',
      settings: props.settings,
      environment: {
        ...shared,
        SESSION_KEY_SECRET_ARN: props.sessionKeySecret.secretArn,
        COMMITTEE_EMAILS: props.committeeEmails.join(','),
      },
    });
    props.plansTable.grantReadWriteData(this.adminFunction);
    props.submissionsTable.grantReadWriteData(this.adminFunction);
    props.reportsBucket.grantRead(this.adminFunction);
    props.linkKeySecret.grantRead(this.adminFunction);
    props.sessionKeySecret.grantRead(this.adminFunction);

    const publicIntegration = new HttpLambdaIntegration('PublicIntegration', this.publicFunction.function);
    const adminIntegration = new HttpLambdaIntegration('AdminIntegration', this.adminFunction.function);
    const routes: HttpRoute[] = [
      ...this.httpApi.addRoutes({
        path: '/u/{token}',
        methods: [HttpMethod.GET],
        integration: publicIntegration,
      }),
      ...this.httpApi.addRoutes({
        path: '/u/{token}/{proxy+}',
        methods: [HttpMethod.ANY],
        integration: publicIntegration,
      }),
      ...this.httpApi.addRoutes({ path: '/', methods: [HttpMethod.GET], integration: adminIntegration }),
      ...this.httpApi.addRoutes({ path: '/admin', methods: [HttpMethod.ANY], integration: adminIntegration }),
      ...this.httpApi.addRoutes({
        path: '/admin/{proxy+}',
        methods: [HttpMethod.ANY],
        integration: adminIntegration,
      }),
      ...this.httpApi.addRoutes({
        path: '/api/{proxy+}',
        methods: [HttpMethod.ANY],
        integration: adminIntegration,
      }),
    ];
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'No API Gateway authorizer by design: unit routes are authorized by the HMAC-signed token in the path and committee routes by the signed session cookie from the e-mailed sign-in link; both are checked by the function before any data is read. Units have no accounts, so a Cognito/IAM authorizer cannot apply.',
      });
    }

    // Both functions answer synchronous API Gateway invocations only: a failure is returned to
    // the browser, there is no asynchronous event that a DLQ could keep.
    for (const fn of [this.publicFunction, this.adminFunction]) {
      Validations.of(fn.function).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by the HTTP API only; errors go back to the caller, and a dead-letter queue receives failed asynchronous invocations, which this function never has.',
      });
    }

    this.acknowledgeGrantWildcards(props.reportsBucket);
  }

  /**
   * The L2 grants above expand to a few wildcard actions and resources on the reports bucket;
   * each is acknowledged by its exact finding id on the role of the function that holds it.
   */
  private acknowledgeGrantWildcards(bucket: IBucket): void {
    const publicRole = this.publicFunction.role;
    Validations.of(publicRole).acknowledge({
      id: 'AwsSolutions-IAM5[Action::s3:Abort*]',
      reason:
        'Part of grantPut on reports/* only: s3:Abort* matches s3:AbortMultipartUpload alone, so an interrupted upload under reports/ can be cleaned up.',
    });
    acknowledgeWildcardResource(
      publicRole,
      bucket.arnForObjects(`${REPORTS_PREFIX}*`),
      'Uploads go to reports/<plan>/<year>/<unit>/<file>, keys unknown until a unit uploads; the exact key of each upload is pinned by the presigned POST policy the function signs, and the role can write under reports/ only and read nothing.',
    );

    const adminRole = this.adminFunction.role;
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
      Validations.of(adminRole).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          "CDK grantRead on the reports bucket: the committee lists a period's uploads and downloads any unit's report (presigned GET signed by this role); the set is read-only.",
      });
    }
    acknowledgeWildcardResource(
      adminRole,
      bucket.arnForObjects('*'),
      "The committee reads every report of every plan and period (status pages, downloads, exports); object keys are created by units' uploads and cannot be listed in advance.",
    );
  }
}
