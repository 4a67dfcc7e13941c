import { readdirSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_ROUTES } from '#functions/http/routes.ts';
import { API_THROTTLE } from '#infra/constructs/api.ts';
import { type BaocaoFunction, FUNCTION_RUNTIME } from '#infra/constructs/baocao-function.ts';
import { actionsOf, environmentOf, logicalId, resourcesOf, statementsOf, synthApp } from './fixtures.ts';

describe('ServiceStack', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  /** Every function of the app, with the memory (MB) and timeout (s) chosen for it. */
  const functions = (): [string, BaocaoFunction, number, number][] => [
    ['public-api', built.service.api.publicFunction, 256, 10],
    ['admin-api', built.service.api.adminFunction, 256, 10],
    ['setup-api', built.service.api.setupFunction, 256, 29],
    ['units-api', built.service.api.unitsFunction, 256, 29],
    ['on-upload', built.service.uploads.onUpload, 512, 60],
    ['mailer', built.service.mail.mailer, 256, 30],
    ['ses-events', built.service.mail.sesEvents, 256, 30],
    ['planner', built.service.reminders.planner, 512, 900],
    ['planner-tick', built.service.reminders.tick, 256, 120],
    ['exporter', built.service.exports.exporter, 1769, 900],
    ['document-reader', built.service.api.documentReader, 1024, 25],
    ['verify-signatures', built.service.signatures.verifier, 1024, 120],
    ['scan-results', built.service.scanResults.fn, 256, 30],
  ];

  describe('functions', () => {
    it('are the entries of functions/, each once', () => {
      const entries = functions().map(([, fn]) => fn.function.node.path);
      const files = readdirSync(new URL('../../functions/', import.meta.url))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort();

      expect(new Set(entries).size).toBe(functions().length);
      expect(
        functions()
          .map(([entry]) => entry)
          .sort(),
      ).toEqual(files);
      // Each entry, plus CDK's provider of the bucket-settings custom resources.
      built.serviceTemplate.resourceCountIs('AWS::Lambda::Function', functions().length + 1);
    });

    it.each([
      'public-api',
      'admin-api',
      'setup-api',
      'units-api',
      'on-upload',
      'mailer',
      'ses-events',
      'planner',
      'planner-tick',
      'exporter',
      'document-reader',
    ])('%s runs the newest Node.js LTS on arm64 with its memory, timeout and active tracing', (name) => {
      const [, fn, memory, timeout] = functions().find(([entry]) => entry === name)!;
      expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');

      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: memory,
        Timeout: timeout,
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    });

    it('log to their own log group kept for three months', () => {
      const retained = Object.keys(
        built.serviceTemplate.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 90 } }),
      );
      for (const [, fn] of functions()) {
        built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
          Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
          LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        });
        expect(retained).toContain(logicalId(fn.logGroup));
      }
    });

    it('enable source maps and merge their own environment with the defaults', () => {
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(built.service.api.publicFunction.role), 'Arn'] },
        Environment: {
          Variables: {
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'baocao',
            POWERTOOLS_METRICS_NAMESPACE: 'Baocao',
            LOG_LEVEL: 'INFO',
            TIME_ZONE: 'Asia/Ho_Chi_Minh',
            COMMITTEE_NAME: 'Đảng ủy Sở',
            PLANS_TABLE: Match.anyValue(),
            SUBMISSIONS_TABLE: Match.anyValue(),
            REPORTS_BUCKET: Match.anyValue(),
            LINK_KEY_SECRET_ARN: Match.anyValue(),
            APP_URL: { 'Fn::GetAtt': [logicalId(built.service.api.httpApi), 'ApiEndpoint'] },
            MAX_UPLOAD_BYTES: String(25 * 1024 * 1024),
          },
        },
      });
    });

    it('pass APP_URL, the variable shared/config.ts reads, and no longer APP_ORIGIN', () => {
      for (const [, fn] of functions()) {
        expect(environmentOf(built.serviceTemplate, fn)).not.toHaveProperty('APP_ORIGIN');
      }
      for (const fn of [
        built.service.api.publicFunction,
        built.service.api.adminFunction,
        built.service.api.setupFunction,
        built.service.api.unitsFunction,
        built.service.reminders.planner,
        built.service.exports.exporter,
      ]) {
        expect(environmentOf(built.serviceTemplate, fn).APP_URL).toEqual({
          'Fn::GetAtt': [logicalId(built.service.api.httpApi), 'ApiEndpoint'],
        });
      }
    });

    it('have roles without AWS managed policies', () => {
      for (const [, fn] of functions()) {
        const role = built.serviceTemplate.findResources('AWS::IAM::Role')[logicalId(fn.role)];
        expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('grant "*" only for the X-Ray actions, which have no resource-level permissions', () => {
      for (const [, fn] of functions()) {
        const onStar = statementsOf(built.serviceTemplate, fn).filter((s) => resourcesOf(s).includes('*'));
        expect(onStar.flatMap(actionsOf).sort()).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });
  });

  describe('HTTP API', () => {
    it('throttles and writes JSON access logs on the default stage', () => {
      built.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingBurstLimit: API_THROTTLE.burstLimit,
          ThrottlingRateLimit: API_THROTTLE.rateLimit,
        },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [logicalId(built.service.api.accessLogGroup), 'Arn'] },
          Format: Match.stringLikeRegexp('"requestId":"\\$context\\.requestId"'),
        },
      });
    });

    it('keeps unit tokens out of the access logs', () => {
      const stage = Object.values(built.serviceTemplate.findResources('AWS::ApiGatewayV2::Stage'))[0];
      const format = JSON.parse(stage?.Properties.AccessLogSettings.Format as string) as Record<
        string,
        string
      >;

      expect(Object.values(format)).not.toContain('$context.path');
      expect(format.routeKey).toBe('$context.routeKey');
    });

    it.each(GATEWAY_ROUTES.map((route) => [route.routeKey, route.fn] as const))(
      'routes %s to the %s function without an API Gateway authorizer',
      (routeKey, target) => {
        const fn = {
          public: built.service.api.publicFunction,
          admin: built.service.api.adminFunction,
          setup: built.service.api.setupFunction,
          units: built.service.api.unitsFunction,
        }[target];
        const routes = built.serviceTemplate.findResources('AWS::ApiGatewayV2::Route', {
          Properties: { RouteKey: routeKey, AuthorizationType: 'NONE' },
        });
        expect(Object.keys(routes)).toHaveLength(1);
        const [route] = Object.values(routes);
        // Target: { 'Fn::Join': ['', ['integrations/', { Ref: <integration> }]] }
        const integrationId = (route!.Properties.Target['Fn::Join'][1][1] as { Ref: string }).Ref;
        const integration = built.serviceTemplate.findResources('AWS::ApiGatewayV2::Integration')[
          integrationId
        ];

        expect(integration?.Properties.IntegrationUri).toEqual({
          'Fn::GetAtt': [logicalId(fn.function), 'Arn'],
        });
      },
    );

    it('has exactly the routes derived from the route table (functions/http/routes.ts), and $default', () => {
      built.serviceTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', GATEWAY_ROUTES.length + 1);
    });

    it('sends every other path ($default) to admin-api, which answers its 404 page', () => {
      const routes = built.serviceTemplate.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: '$default', AuthorizationType: 'NONE' },
      });
      expect(Object.keys(routes)).toHaveLength(1);
      const integrationId = (Object.values(routes)[0]!.Properties.Target['Fn::Join'][1][1] as { Ref: string })
        .Ref;
      expect(
        built.serviceTemplate.findResources('AWS::ApiGatewayV2::Integration')[integrationId]?.Properties
          .IntegrationUri,
      ).toEqual({ 'Fn::GetAtt': [logicalId(built.service.api.adminFunction.function), 'Arn'] });
    });

    it('has no CORS configuration and no custom domain when pages and API share the API origin', () => {
      built.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.absent(),
      });
      built.serviceTemplate.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    });

    it('allows a configured app origin by CORS and links to it from e-mails', () => {
      const custom = synthApp({
        stage: 'test',
        senderEmail: 'baocao@example.vn',
        appOrigin: 'https://baocao.example.vn',
      });

      custom.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({
          AllowOrigins: ['https://baocao.example.vn'],
          AllowCredentials: true,
        }),
      });
      for (const fn of [custom.service.api.publicFunction, custom.service.reminders.planner]) {
        expect(environmentOf(custom.serviceTemplate, fn).APP_URL).toBe('https://baocao.example.vn');
      }
    });

    it('maps the custom domain to the API when a certificate is given, and outputs its DNS target', () => {
      const certificateArn =
        'arn:aws:acm:ap-southeast-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
      const custom = synthApp({
        stage: 'test',
        senderEmail: 'baocao@example.vn',
        appOrigin: 'https://baocao.example.vn',
        certificateArn,
      });

      custom.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
        DomainName: 'baocao.example.vn',
        DomainNameConfigurations: [Match.objectLike({ CertificateArn: certificateArn })],
      });
      custom.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
        ApiId: { Ref: logicalId(custom.service.api.httpApi) },
        DomainName: { Ref: logicalId(custom.service.api.domainName!) },
      });
      custom.serviceTemplate.hasOutput('CustomDomainTarget', {
        Value: { 'Fn::GetAtt': [logicalId(custom.service.api.domainName!), 'RegionalDomainName'] },
      });
    });
  });

  describe('outputs', () => {
    it('give the app URL, the API URL, the bucket, the function names and the alarm topic', () => {
      built.serviceTemplate.hasOutput('AppUrl', {
        Value: { 'Fn::GetAtt': [logicalId(built.service.api.httpApi), 'ApiEndpoint'] },
      });
      built.serviceTemplate.hasOutput('ApiUrl', {
        Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(built.service.api.httpApi) }])] },
      });
      built.serviceTemplate.hasOutput('ReportsBucketName', {
        Value: { 'Fn::ImportValue': Match.stringLikeRegexp('ReportsBucket') },
      });
      built.serviceTemplate.hasOutput('PlannerFunctionName', {
        Value: { Ref: logicalId(built.service.reminders.tick.function) },
      });
      built.serviceTemplate.hasOutput('ExporterFunctionName', {
        Value: { Ref: logicalId(built.service.exports.exporter.function) },
      });
      built.serviceTemplate.hasOutput('AlarmTopicArn', {
        Value: { Ref: logicalId(built.service.monitoring.topic) },
      });
    });

    it('publish the CLI settings for --stage: every resource name the CLI needs, no secret value', () => {
      const output = built.serviceTemplate.findOutputs('CliEnvironment').CliEnvironment;
      const text = JSON.stringify(output?.Value);
      for (const key of [
        'PLANS_TABLE',
        'SUBMISSIONS_TABLE',
        'REPORTS_BUCKET',
        'MAIL_QUEUE_URL',
        'EXPORTER_FUNCTION_NAME',
        'LINK_KEY_SECRET_ARN',
        'APP_URL',
        'TIME_ZONE',
        'COMMITTEE_EMAILS',
      ]) {
        expect(text).toContain(key);
      }
      expect(text).not.toMatch(/SecretString|resolve:secretsmanager/);
    });
  });

  describe('sender address', () => {
    it('deploys normally when senderEmail is given', () => {
      expect(built.serviceTemplate.toJSON().Rules).not.toHaveProperty('SenderEmailRequired');
    });

    it('synthesizes with the placeholder but refuses to deploy without senderEmail', () => {
      const placeholder = synthApp({ stage: 'test' });

      expect(environmentOf(placeholder.serviceTemplate, placeholder.service.mail.mailer).SENDER_EMAIL).toBe(
        'no-reply@example.org',
      );
      expect(placeholder.serviceTemplate.toJSON().Rules.SenderEmailRequired).toEqual({
        Assertions: [
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'senderEmail-context-value-required'] },
            AssertDescription: expect.stringContaining('-c senderEmail='),
          },
        ],
      });
    });
  });
});
