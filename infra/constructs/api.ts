import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  type CfnRoute,
  type CfnStage,
  CorsHttpMethod,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpRoute,
  type HttpRouteIntegration,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FALLBACK_FUNCTION, type FunctionName, GATEWAY_ROUTES } from '#functions/http/routes.ts';
import { acknowledge, acknowledgeWildcardResource } from '../nag.ts';
import { BaocaoFunction, type FunctionSettings } from './baocao-function.ts';
import {
  EXPORTS_PREFIX,
  MAX_UPLOAD_BYTES,
  REPORTS_PREFIX,
  resourceNames,
  type StatefulResources,
  UPLOADS_PREFIX,
} from './environment.ts';

/** The document reader's own limit for one document (a 200-page PDF reads in ~1.5 s). */
export const DOCUMENT_READER_TIMEOUT = Duration.seconds(25);
/** setup-api's, which waits for the reader: under API Gateway's 30 s integration timeout. */
export const DOCUMENT_WAIT_TIMEOUT = Duration.seconds(29);
/** Default-stage throttling: generous for a committee's few hundred units, a lid on abuse. */
export const API_THROTTLE = { burstLimit: 100, rateLimit: 50 } as const;

/**
 * Route-level throttling of each unit route (`ANY /u/{token}`, `ANY /u/{token}/{proxy+}`): below
 * the stage's, so that a client looping on `/u/<anything>` is answered 429 by the gateway on the
 * unit routes only and the committee's routes keep their own budget (issue 18). A committee's
 * units upload a few at a time (a page, a status poll every few seconds, one presign per file):
 * 20 requests a second, 40 at once, is well above a deadline morning of a few hundred units.
 * Per client, the public function limits presigns and status polls itself (shared/limits/).
 */
export const UNIT_ROUTE_THROTTLE = { burstLimit: 40, rateLimit: 20 } as const;

/** Properties of {@link Api}. */
export interface ApiProps {
  readonly settings: FunctionSettings;
  readonly stateful: StatefulResources;
  /**
   * The admin function queues the sign-in e-mails here, the setup function the links of a period
   * opened from the app (`MAIL_QUEUE_URL`).
   */
  readonly mailQueue: IQueue;
  /** Addresses allowed to sign in to `/admin` (`COMMITTEE_EMAILS`, comma-separated). */
  readonly committeeEmails: readonly string[];
  /**
   * Origin the app is served from (custom domain). Allowed by CORS and the base of `APP_URL`.
   * @default - the API's own endpoint; no CORS configuration (pages and API share an origin)
   */
  readonly appOrigin?: string;
  /**
   * ACM certificate for the host of {@link appOrigin}: maps that custom domain to the API's
   * default stage. @default - no custom domain (something else serves `appOrigin`)
   */
  readonly certificateArn?: string;
}

/**
 * Adds the HTTP API's routes, derived from the route table (functions/http/routes.ts:
 * {@link GATEWAY_ROUTES}), each to the integration of the function that serves it: coarse routes
 * (`ANY /u/{token}`, `ANY /u/{token}/{proxy+}`, `ANY /admin/{proxy+}`, …) that hand public-api and
 * admin-api every path of their mounts, whose own table matching answers 404 to what it does not
 * serve, and setup-api's exact routes inside admin-api's mounts (`ANY /admin/units`,
 * `POST /api/plans`, …), which the gateway prefers to a greedy one.
 * test/unit/http/routes.test.ts checks every table route reaches its function through them.
 */
export function addGatewayRoutes(
  httpApi: HttpApi,
  integrations: Record<FunctionName, HttpRouteIntegration>,
): HttpRoute[] {
  // `$default`: any other path reaches FALLBACK_FUNCTION, which answers its own 404 page.
  const fallback = new HttpRoute(httpApi, 'DefaultRoute', {
    httpApi,
    routeKey: HttpRouteKey.DEFAULT,
    integration: integrations[FALLBACK_FUNCTION],
  });
  return [
    ...GATEWAY_ROUTES.flatMap((route) =>
      httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrations[route.fn],
      }),
    ),
    fallback,
  ];
}

/**
 * The HTTP API and its four functions.
 *
 * - `public-api` (functions/public-api.ts): a unit's upload page and JSON under `/u/{token}`.
 *   It reads plans, records submissions, signs presigned POSTs for the landing prefix
 *   `uploads/*` only, and can never read a report nor write under `reports/`.
 * - `admin-api` (functions/admin-api.ts): the committee's pages (`/`, `/admin…`) and JSON
 *   (`/api/…`), behind the app's own e-mailed sign-in: plans and periods, a unit's link and
 *   files, exports, members.
 * - `setup-api` (functions/setup-api.ts): the committee's year setup, the same session: plans
 *   imported from a document, their calendar, opening a period, recipients, the units and their
 *   import. It reads files from the request only: no bucket, no exporter.
 * - `units-api` (functions/units-api.ts): split from setup-api for its bundle size, with its
 *   settings and grants: the units (list, page, actions, import, workbook), a plan's recipients,
 *   and the audit log as .xlsx.
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
  readonly setupFunction: BaocaoFunction;
  /** units-api (functions/units-api.ts): setup-api's settings and grants, the units' routes. */
  readonly unitsFunction: BaocaoFunction;
  /**
   * document-reader (functions/document-reader.ts): the text of a PDF or Word plan document and
   * the rows of a units workbook, invoked synchronously by setup-api with the upload. Its own
   * function keeps pdf.js (~1.5 MB), yauzl and saxes out of setup-api's bundle and parses a hostile
   * document with no permission at all, in its own memory and time.
   */
  readonly documentReader: BaocaoFunction;
  /** Base URL of the default stage (`https://….execute-api.….amazonaws.com/`). */
  readonly url: string;
  /** Origin the pages are served from: `appOrigin`, or the API endpoint. */
  readonly appOrigin: string;
  /** Public base URL of the app, the base of every e-mailed link (`APP_URL`): {@link appOrigin}. */
  readonly appUrl: string;
  /** The custom domain, when `certificateArn` is given. */
  readonly domainName?: DomainName;

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
    this.appUrl = this.appOrigin;
    if (props.appOrigin && props.certificateArn) {
      this.domainName = new DomainName(this, 'CustomDomain', {
        domainName: new URL(props.appOrigin).hostname,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      });
      new ApiMapping(this, 'CustomDomainMapping', {
        api: this.httpApi,
        domainName: this.domainName,
        stage: this.stage,
      });
    }
    const { stateful } = props;

    this.publicFunction = new BaocaoFunction(this, 'PublicApi', {
      entry: 'public-api',
      settings: props.settings,
      environment: {
        ...resourceNames(stateful),
        APP_URL: this.appUrl,
        // The office's address (the first), offered on the pages of a link that cannot be used.
        COMMITTEE_EMAILS: props.committeeEmails.join(','),
        LINK_KEY_SECRET_ARN: stateful.linkKeySecret.secretArn,
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      },
    });
    stateful.plansTable.grantReadData(this.publicFunction);
    stateful.submissionsTable.grantReadWriteData(this.publicFunction);
    // Signs presigned POSTs for the landing key uploads/<plan>/<year>/<unit>/<id>: s3:PutObject
    // only, never read. Not grantPut: on an Object Lock bucket its s3:PutObjectRetention and
    // s3:PutObjectLegalHold would let a landing object be locked against its lifecycle expiry.
    Grant.addToPrincipal({
      grantee: this.publicFunction,
      actions: ['s3:PutObject'],
      resourceArns: [stateful.reportsBucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
    });
    stateful.linkKeySecret.grantRead(this.publicFunction);

    this.adminFunction = new BaocaoFunction(this, 'AdminApi', {
      entry: 'admin-api',
      settings: props.settings,
      environment: {
        ...resourceNames(stateful),
        APP_URL: this.appUrl,
        COMMITTEE_EMAILS: props.committeeEmails.join(','),
        MAIL_QUEUE_URL: props.mailQueue.queueUrl,
        SESSION_KEY_SECRET_ARN: stateful.sessionKeySecret.secretArn,
        // Re-sending and revoking a unit's link signs it (the same settings as public-api).
        LINK_KEY_SECRET_ARN: stateful.linkKeySecret.secretArn,
        MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      },
    });
    // Sign-in links, sessions and rate counters are items of the plans table.
    stateful.plansTable.grantReadWriteData(this.adminFunction);
    stateful.submissionsTable.grantReadWriteData(this.adminFunction);
    // Presigned GETs of a unit's kept report (by its VersionId: s3:GetObjectVersion, part of
    // s3:GetObject*) and of an export, handed out after sign-in.
    stateful.reportsBucket.grantRead(this.adminFunction, `${REPORTS_PREFIX}*`);
    stateful.reportsBucket.grantRead(this.adminFunction, `${EXPORTS_PREFIX}*`);
    stateful.linkKeySecret.grantRead(this.adminFunction);
    stateful.sessionKeySecret.grantRead(this.adminFunction);
    props.mailQueue.grantSendMessages(this.adminFunction);

    // setup-api and units-api (one function until its bundle outgrew 450 KB): the same settings
    // and grants.
    const setupLike = (id: string, entry: string): BaocaoFunction => {
      const fn = new BaocaoFunction(this, id, {
        entry,
        settings: props.settings,
        // Reading a plan or a units workbook waits for the document reader (its 25 s, and a cold
        // start): 29 s, just under the HTTP API's 30 s integration limit.
        timeout: DOCUMENT_WAIT_TIMEOUT,
        environment: {
          ...resourceNames(stateful),
          APP_URL: this.appUrl,
          // The committee's digest after a period opened from the app, as the planner sends it.
          COMMITTEE_EMAILS: props.committeeEmails.join(','),
          MAIL_QUEUE_URL: props.mailQueue.queueUrl,
          SESSION_KEY_SECRET_ARN: stateful.sessionKeySecret.secretArn,
          // Opening a period, or a unit joining a plan, e-mails the unit its signed link.
          LINK_KEY_SECRET_ARN: stateful.linkKeySecret.secretArn,
        },
      });
      // Plans, units, periods and sessions are items of the plans table; assignments (and their
      // withdrawals) of the submissions table.
      stateful.plansTable.grantReadWriteData(fn);
      stateful.submissionsTable.grantReadWriteData(fn);
      stateful.linkKeySecret.grantRead(fn);
      stateful.sessionKeySecret.grantRead(fn);
      props.mailQueue.grantSendMessages(fn);
      return fn;
    };
    this.setupFunction = setupLike('SetupApi', 'setup-api');
    this.unitsFunction = setupLike('UnitsApi', 'units-api');

    // 1,024 MB: pdf.js holds a 4 MB document's objects and a page at a time (about 130 MB for a
    // 200-page plan in docs/BENCHMARKS.md), with room; its CPU share comes with the memory.
    this.documentReader = new BaocaoFunction(this, 'DocumentReader', {
      entry: 'document-reader',
      settings: props.settings,
      memorySize: 1024,
      timeout: DOCUMENT_READER_TIMEOUT,
    });
    for (const reader of [this.setupFunction, this.unitsFunction]) {
      this.documentReader.function.grantInvokeLatestVersion(reader);
      reader.function.addEnvironment(
        'DOCUMENT_READER_FUNCTION_NAME',
        this.documentReader.function.functionName,
      );
    }

    const routes = addGatewayRoutes(this.httpApi, {
      public: new HttpLambdaIntegration('PublicIntegration', this.publicFunction.function),
      admin: new HttpLambdaIntegration('AdminIntegration', this.adminFunction.function),
      setup: new HttpLambdaIntegration('SetupIntegration', this.setupFunction.function),
      units: new HttpLambdaIntegration('UnitsIntegration', this.unitsFunction.function),
    });
    // The unit routes' own, lower, limits (the stage's are each committee route's). A route's
    // settings name its key: the stage is deployed after the routes exist.
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      GATEWAY_ROUTES.filter((r) => r.fn === 'public').map((r) => [
        r.routeKey,
        // A JSON map in CloudFormation: its values are written as the template spells them.
        {
          ThrottlingBurstLimit: UNIT_ROUTE_THROTTLE.burstLimit,
          ThrottlingRateLimit: UNIT_ROUTE_THROTTLE.rateLimit,
        },
      ]),
    );

    for (const route of routes) cfnStage.addDependency(route.node.defaultChild as CfnRoute);

    for (const route of routes) {
      acknowledge(
        route,
        'AwsSolutions-APIG4',
        'No API Gateway authorizer by design: unit routes are authorized by the HMAC-signed token in the path and committee routes by the signed session cookie from the e-mailed sign-in link; both are checked by the function before any data is read. Units have no accounts, so a Cognito/IAM authorizer cannot apply.',
      );
    }

    // The four functions answer synchronous API Gateway invocations only: a failure is returned
    // to the browser, there is no asynchronous event that a DLQ could keep.
    for (const fn of [this.publicFunction, this.adminFunction, this.setupFunction, this.unitsFunction]) {
      acknowledge(
        fn.function,
        'Serverless-LambdaDLQ',
        'Invoked synchronously by the HTTP API only; errors go back to the caller, and a dead-letter queue receives failed asynchronous invocations, which this function never has.',
      );
    }
    acknowledge(
      this.documentReader.function,
      'Serverless-LambdaDLQ',
      'Invoked synchronously (RequestResponse) by setup-api and units-api only, with the document being uploaded; a failure goes back to the caller and the person uploading, and a dead-letter queue receives failed asynchronous invocations, which this function never has.',
    );

    this.acknowledgeGrantWildcards(stateful.reportsBucket);
  }

  /**
   * The L2 grants above expand to a few wildcard actions and resources on the reports bucket;
   * each is acknowledged by its exact finding id on the role of the function that holds it.
   */
  private acknowledgeGrantWildcards(bucket: IBucket): void {
    acknowledgeWildcardResource(
      this.publicFunction.role,
      bucket.arnForObjects(`${UPLOADS_PREFIX}*`),
      'Browsers post to the landing key uploads/<plan>/<year>/<unit>/<id>, unknown until a unit uploads; the exact key of each upload is pinned by the presigned POST policy the function signs, and the role may only s3:PutObject under uploads/ and read nothing.',
    );

    const adminRole = this.adminFunction.role;
    for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*']) {
      acknowledge(
        adminRole,
        `AwsSolutions-IAM5[Action::${action}]`,
        "CDK grantRead on reports/* and exports/* of the reports bucket: the committee lists a period's uploads and downloads a unit's kept report by version or an export (presigned GET signed by this role); every action in the set is a read.",
      );
    }
    acknowledgeWildcardResource(
      adminRole,
      bucket.arnForObjects(`${REPORTS_PREFIX}*`),
      "The committee reads every unit's report of every plan and period; the keys are created by the units' uploads and cannot be listed in advance. Read-only, reports/ prefix only.",
    );
    acknowledgeWildcardResource(
      adminRole,
      bucket.arnForObjects(`${EXPORTS_PREFIX}*`),
      'The committee downloads the consolidated results of any period; export keys carry a generated id. Read-only, exports/ prefix only.',
    );
  }
}
