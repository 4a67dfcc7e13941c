import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLE } from '#infra/constructs/api.ts';
import { FUNCTION_RUNTIME } from '#infra/constructs/baocao-function.ts';
import { actionsOf, logicalId, resourcesOf, statementsOf, synthApp } from './fixtures.ts';

describe('ServiceStack', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  const functions = () => [built.service.api.publicFunction, built.service.api.adminFunction];

  describe('functions', () => {
    it('run the newest Node.js LTS on arm64 with explicit memory, timeout and active tracing', () => {
      expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');
      for (const fn of functions()) {
        built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
          Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          MemorySize: 256,
          Timeout: 10,
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        });
      }
    });

    it('log to their own log group kept for three months', () => {
      for (const fn of functions()) {
        built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
          Role: { 'Fn::GetAtt': [logicalId(fn.role), 'Arn'] },
          LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
        });
        expect(
          Object.keys(
            built.serviceTemplate.findResources('AWS::Logs::LogGroup', {
              Properties: { RetentionInDays: 90 },
            }),
          ),
        ).toContain(logicalId(fn.logGroup));
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
            SENDER_EMAIL: 'baocao@example.vn',
            APP_ORIGIN: { 'Fn::GetAtt': [logicalId(built.service.api.httpApi), 'ApiEndpoint'] },
          },
        },
      });
      built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalId(built.service.api.adminFunction.role), 'Arn'] },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            SESSION_KEY_SECRET_ARN: Match.anyValue(),
            COMMITTEE_EMAILS: 'van-phong@example.vn,bi-thu@example.vn',
          }),
        },
      });
    });

    it('have roles without AWS managed policies', () => {
      for (const fn of functions()) {
        const role = built.serviceTemplate.findResources('AWS::IAM::Role')[logicalId(fn.role)];
        expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('grant "*" only for the X-Ray actions, which have no resource-level permissions', () => {
      for (const fn of functions()) {
        const onStar = statementsOf(built.serviceTemplate, fn).filter((s) => resourcesOf(s).includes('*'));
        expect(onStar.flatMap(actionsOf).sort()).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });
  });

  describe('public-api permissions', () => {
    it('may put objects under reports/ only', () => {
      const fn = built.service.api.publicFunction;
      built.serviceTemplate.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(fn.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: Match.arrayWith(['s3:PutObject']),
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/reports/*']] },
            }),
          ]),
        },
      });

      const s3 = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('s3:')),
      );
      expect(s3).toHaveLength(1);
      expect(resourcesOf(s3[0]!)).toEqual([{ 'Fn::Join': ['', [expect.anything(), '/reports/*']] }]);
    });

    it('cannot read or list reports', () => {
      const actions = statementsOf(built.serviceTemplate, built.service.api.publicFunction).flatMap(
        actionsOf,
      );

      expect(actions.filter((a) => /^s3:(Get|List|\*)/.test(a))).toEqual([]);
      expect(actions).not.toContain('s3:GetObject');
    });

    it('reads plans, writes submissions and reads the link key, not the session key', () => {
      const fn = built.service.api.publicFunction;
      const statements = statementsOf(built.serviceTemplate, fn);
      const on = (exportPart: string) =>
        statements.filter((s) => JSON.stringify(resourcesOf(s)).includes(exportPart)).flatMap(actionsOf);

      expect(on('PlansTable')).not.toContain('dynamodb:PutItem');
      expect(on('PlansTable')).toContain('dynamodb:GetItem');
      expect(on('SubmissionsTable')).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
      expect(on('LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(on('SessionKeySecret')).toEqual([]);
    });
  });

  describe('admin-api permissions', () => {
    it('reads and writes both tables, reads the bucket and both secrets, writes no report', () => {
      const statements = statementsOf(built.serviceTemplate, built.service.api.adminFunction);
      const on = (exportPart: string) =>
        statements.filter((s) => JSON.stringify(resourcesOf(s)).includes(exportPart)).flatMap(actionsOf);

      expect(on('PlansTable')).toContain('dynamodb:PutItem');
      expect(on('SubmissionsTable')).toContain('dynamodb:PutItem');
      expect(on('ReportsBucket')).toEqual(expect.arrayContaining(['s3:GetObject*', 's3:List*']));
      expect(on('ReportsBucket').filter((a) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toEqual(
        [],
      );
      expect(on('LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(on('SessionKeySecret')).toContain('secretsmanager:GetSecretValue');
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

    it.each([
      ['GET /u/{token}', 'public'],
      ['ANY /u/{token}/{proxy+}', 'public'],
      ['GET /', 'admin'],
      ['ANY /admin', 'admin'],
      ['ANY /admin/{proxy+}', 'admin'],
      ['ANY /api/{proxy+}', 'admin'],
    ] as const)('routes %s to the %s function without an API Gateway authorizer', (routeKey, target) => {
      const fn = target === 'public' ? built.service.api.publicFunction : built.service.api.adminFunction;
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
    });

    it('has exactly those six routes', () => {
      built.serviceTemplate.resourceCountIs('AWS::ApiGatewayV2::Route', 6);
    });

    it('has no CORS configuration when pages and API share the API origin', () => {
      built.serviceTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.absent(),
      });
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
      custom.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ APP_ORIGIN: 'https://baocao.example.vn' }) },
      });
    });
  });

  describe('outputs', () => {
    it('give the API URL and the reports bucket name', () => {
      built.serviceTemplate.hasOutput('ApiUrl', {
        Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(built.service.api.httpApi) }])] },
      });
      built.serviceTemplate.hasOutput('ReportsBucketName', {
        Value: { 'Fn::ImportValue': Match.stringLikeRegexp('ReportsBucket') },
      });
    });
  });

  describe('sender address', () => {
    it('deploys normally when senderEmail is given', () => {
      expect(built.serviceTemplate.toJSON().Rules).not.toHaveProperty('SenderEmailRequired');
    });

    it('synthesizes with the placeholder but refuses to deploy without senderEmail', () => {
      const placeholder = synthApp({ stage: 'test' });

      placeholder.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SENDER_EMAIL: 'no-reply@example.org' }) },
      });
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
