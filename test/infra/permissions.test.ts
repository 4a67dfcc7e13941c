import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BaocaoFunction } from '#infra/constructs/baocao-function.ts';
import { actionsOf, environmentOf, logicalId, resourcesOf, statementsOf, synthApp } from './fixtures.ts';

/** Set by BaocaoFunction for every function (Powertools, Node, the committee's settings). */
const DEFAULT_VARIABLES = [
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'LOG_LEVEL',
  'TIME_ZONE',
  'COMMITTEE_NAME',
  'NODE_OPTIONS',
];
/** shared/config.ts requires these of every process. */
const RESOURCE_NAMES = ['PLANS_TABLE', 'SUBMISSIONS_TABLE', 'REPORTS_BUCKET'];

/** The keys of the zod schema in shared/config.ts (the variables the functions read). */
function configKeys(): string[] {
  const source = readFileSync(new URL('../../shared/config.ts', import.meta.url), 'utf8');
  const schema = source.slice(source.indexOf('const configSchema'), source.indexOf('export type Config'));
  return [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]!);
}

describe('per-function environment and least privilege', () => {
  let built: ReturnType<typeof synthApp>;
  let fns: Record<string, BaocaoFunction>;

  beforeAll(() => {
    built = synthApp();
    fns = {
      'public-api': built.service.api.publicFunction,
      'admin-api': built.service.api.adminFunction,
      'setup-api': built.service.api.setupFunction,
      'units-api': built.service.api.unitsFunction,
      'on-upload': built.service.uploads.onUpload,
      mailer: built.service.mail.mailer,
      'ses-events': built.service.mail.sesEvents,
      planner: built.service.reminders.planner,
      exporter: built.service.exports.exporter,
      'document-reader': built.service.api.documentReader,
      'verify-signatures': built.service.signatures.verifier,
    };
  });

  /** Every action the function's role may take on resources whose reference contains `part`. */
  const actionsOn = (fn: BaocaoFunction, part: string): string[] =>
    statementsOf(built.serviceTemplate, fn)
      .filter((s) => JSON.stringify(resourcesOf(s)).includes(part))
      .flatMap(actionsOf);
  /** Every S3 action of the function, with the resources it applies to. */
  const s3Grants = (fn: BaocaoFunction) =>
    statementsOf(built.serviceTemplate, fn)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')))
      .map((s) => ({ actions: actionsOf(s), resources: JSON.stringify(resourcesOf(s)) }));
  const s3ActionsUnder = (fn: BaocaoFunction, prefix: string) =>
    s3Grants(fn)
      .filter((g) => g.resources.includes(`/${prefix}*"`))
      .flatMap((g) => g.actions);
  const allActions = (fn: BaocaoFunction) => statementsOf(built.serviceTemplate, fn).flatMap(actionsOf);
  /** Whether one of `granted` (IAM patterns such as `s3:GetObject*`) matches `action`. */
  const allows = (granted: string[], action: string): boolean =>
    granted.some((pattern) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`).test(action),
    );

  describe('the committee registry (docs/tenancy.md)', () => {
    // Every entry point picks its committee through a committee directory, which reads the
    // committee and its parent from the registry: without GetItem and Query of its partitions,
    // every request or message of a committee other than the first is refused on AWS, while the
    // local stack (no IAM) works. document-reader reads no table.
    it.each([
      'public-api',
      'admin-api',
      'setup-api',
      'units-api',
      'on-upload',
      'mailer',
      'ses-events',
      'planner',
      'exporter',
      'verify-signatures',
    ])('%s may read it', (name) => {
      const onPlans = statementsOf(built.serviceTemplate, fns[name]!).filter((s) =>
        JSON.stringify(resourcesOf(s)).includes('PlansTable'),
      );
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query']) {
        const granting = onPlans.filter((s) => allows(actionsOf(s), action));
        const unconditioned = granting.some((s) => (s as { Condition?: unknown }).Condition === undefined);
        const keys = granting.flatMap((s) => {
          const condition = (s as { Condition?: Record<string, Record<string, unknown>> }).Condition;
          return (
            (condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined) ?? []
          );
        });
        expect(unconditioned || (keys.includes('COMMITTEES') && keys.includes('TREE#*#PARENTS'))).toBe(true);
      }
    });
  });

  describe('environment', () => {
    it.each([
      [
        'public-api',
        ['APP_URL', 'COMMITTEE_EMAILS', 'LINK_KEY_SECRET_ARN', 'MAX_UPLOAD_BYTES', 'AUDIT_TABLE'],
      ],
      [
        'admin-api',
        [
          'APP_URL',
          'COMMITTEE_EMAILS',
          'MAIL_QUEUE_URL',
          'SESSION_KEY_SECRET_ARN',
          'LINK_KEY_SECRET_ARN',
          'MAX_UPLOAD_BYTES',
          'EXPORTER_FUNCTION_NAME',
          'AUDIT_TABLE',
          // The unit page's re-check queues its PDFs (docs/signatures.md).
          'SIGNATURE_QUEUE_URL',
        ],
      ],
      ...(['setup-api', 'units-api'] as const).map(
        (name) =>
          [
            name,
            [
              'APP_URL',
              'COMMITTEE_EMAILS',
              'MAIL_QUEUE_URL',
              'SESSION_KEY_SECRET_ARN',
              'LINK_KEY_SECRET_ARN',
              'AUDIT_TABLE',
              'DOCUMENT_READER_FUNCTION_NAME',
            ],
          ] as [string, string[]],
      ),
      [
        'on-upload',
        [
          'MAIL_QUEUE_URL',
          'MAX_UPLOAD_BYTES',
          'REPORT_RETENTION_YEARS',
          'REPORT_LOCK_MODE',
          'AUDIT_TABLE',
          'SIGNATURE_QUEUE_URL',
        ],
      ],
      // The kept reports (≤ MAX_UPLOAD_BYTES), the deployed trust store asset, and the audit log
      // (each check is recorded: signature.checked).
      ['verify-signatures', ['MAX_UPLOAD_BYTES', 'TRUST_ASSET_BUCKET', 'TRUST_ASSET_KEY', 'AUDIT_TABLE']],
      // COMMITTEE_EMAILS: who is sent a sign-in link while the member list is empty.
      ['mailer', ['SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'COMMITTEE_EMAILS']],
      ['ses-events', []],
      [
        'planner',
        [
          'COMMITTEE_EMAILS',
          'APP_URL',
          'MAIL_QUEUE_URL',
          'LINK_KEY_SECRET_ARN',
          'EXPORTER_FUNCTION_NAME',
          'AUDIT_TABLE',
          'AUDIT_DIGEST_BUCKET',
          'AUDIT_KMS_KEY_ID',
        ],
      ],
      ['exporter', ['COMMITTEE_EMAILS', 'APP_URL', 'MAIL_QUEUE_URL', 'AUDIT_TABLE']],
    ])('%s gets exactly the settings it reads', (name, own) => {
      const keys = Object.keys(environmentOf(built.serviceTemplate, fns[name]!)).sort();

      expect(keys).toEqual([...DEFAULT_VARIABLES, ...RESOURCE_NAMES, ...own].sort());
    });

    it('sets only variables that shared/config.ts reads', () => {
      const known = new Set([...configKeys(), ...DEFAULT_VARIABLES]);
      expect(configKeys()).toEqual(
        expect.arrayContaining([
          'APP_URL',
          'MAIL_QUEUE_URL',
          'SES_CONFIGURATION_SET',
          'EXPORTER_FUNCTION_NAME',
          'REPORT_RETENTION_YEARS',
          'REPORT_LOCK_MODE',
        ]),
      );

      for (const fn of Object.values(fns)) {
        const unknown = Object.keys(environmentOf(built.serviceTemplate, fn)).filter(
          (key) => !known.has(key),
        );
        expect(unknown).toEqual([]);
      }
    });

    it('names the resources by reference, never by a literal', () => {
      const env = environmentOf(built.serviceTemplate, fns['admin-api']!);

      expect(env.MAIL_QUEUE_URL).toEqual({ Ref: logicalId(built.service.mail.queue) });
      expect(env.EXPORTER_FUNCTION_NAME).toEqual({ Ref: logicalId(built.service.exports.exporter.function) });
      expect(environmentOf(built.serviceTemplate, fns.mailer!).SES_CONFIGURATION_SET).toEqual({
        Ref: logicalId(built.service.mail.configurationSet),
      });
    });
  });

  describe('public-api', () => {
    it('may only s3:PutObject under the landing prefix uploads/: no read, list, delete, retention or legal hold', () => {
      const fn = fns['public-api']!;
      built.serviceTemplate.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(fn.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/uploads/*']] },
            }),
          ]),
        },
      });

      expect(s3Grants(fn)).toHaveLength(1);
      expect(allActions(fn).filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
      expect(s3ActionsUnder(fn, 'reports/')).toEqual([]);
    });

    it('reads plans, writes submissions, reads the link key; no session key, queue or exporter', () => {
      const fn = fns['public-api']!;

      expect(actionsOn(fn, 'PlansTable')).not.toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'PlansTable')).toContain('dynamodb:GetItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
      expect(actionsOn(fn, 'LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(actionsOn(fn, 'SessionKeySecret')).toEqual([]);
      expect(allActions(fn).filter((a) => a.startsWith('sqs:') || a.startsWith('lambda:'))).toEqual([]);
    });
  });

  describe('admin-api', () => {
    it('reads and writes both tables and reads both secrets', () => {
      const fn = fns['admin-api']!;

      expect(actionsOn(fn, 'PlansTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(actionsOn(fn, 'SessionKeySecret')).toContain('secretsmanager:GetSecretValue');
    });

    it('reads reports/* (any version: presigned GETs with a VersionId) and exports/* only, and writes or deletes nothing in the bucket', () => {
      const fn = fns['admin-api']!;

      expect(s3ActionsUnder(fn, 'reports/')).toEqual(expect.arrayContaining(['s3:GetObject*']));
      expect(s3ActionsUnder(fn, 'exports/')).toEqual(expect.arrayContaining(['s3:GetObject*']));
      expect(allows(s3ActionsUnder(fn, 'reports/'), 's3:GetObject')).toBe(true);
      expect(allows(s3ActionsUnder(fn, 'reports/'), 's3:GetObjectVersion')).toBe(true);
      expect(s3ActionsUnder(fn, 'uploads/')).toEqual([]);
      expect(
        s3Grants(fn).filter(
          (g) => /\/\*"/.test(g.resources) && !/\/(reports|exports)\/\*"/.test(g.resources),
        ),
      ).toEqual([]);
      expect(allActions(fn).filter((a) => /^s3:(Put|Delete|Abort)/.test(a))).toEqual([]);
    });

    it('queues e-mails and may start the exporter, by its unqualified ARN only', () => {
      const fn = fns['admin-api']!;

      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toContain('sqs:SendMessage');
      const invoke = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).includes('lambda:InvokeFunction'),
      );
      const exporterArn = { 'Fn::GetAtt': [logicalId(built.service.exports.exporter.function), 'Arn'] };
      // The function and its $LATEST: no version or alias wildcard (grantInvokeLatestVersion).
      expect(invoke.map(resourcesOf)).toEqual([
        [exporterArn, { 'Fn::Join': ['', [exporterArn, ':$LATEST']] }],
      ]);
    });
  });

  // units-api is split from setup-api (bundle size) with the same grants.
  describe.each(['setup-api', 'units-api'])('%s', (name) => {
    it('reads and writes both tables, reads both secrets and queues e-mails', () => {
      const fn = fns[name]!;

      expect(actionsOn(fn, 'PlansTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(actionsOn(fn, 'SessionKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toContain('sqs:SendMessage');
    });

    it('has no access to the bucket and may not start the exporter: it reads files from the request only', () => {
      const fn = fns[name]!;

      expect(allActions(fn).filter((a) => a.startsWith('s3:'))).toEqual([]);
      expect(actionsOn(fn, logicalId(built.service.exports.exporter.function))).toEqual([]);
    });

    it('may invoke the document-reader (the text of a PDF or .docx, the rows of an .xlsx), and no other function', () => {
      const fn = fns[name]!;
      const readerArn = { 'Fn::GetAtt': [logicalId(built.service.api.documentReader.function), 'Arn'] };
      const invokes = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('lambda:')),
      );

      expect(invokes.flatMap(actionsOf)).toEqual(['lambda:InvokeFunction']);
      expect(invokes.flatMap(resourcesOf)).toEqual([
        readerArn,
        { 'Fn::Join': ['', [readerArn, ':$LATEST']] },
      ]);
      expect(environmentOf(built.serviceTemplate, fn).DOCUMENT_READER_FUNCTION_NAME).toEqual({
        Ref: logicalId(built.service.api.documentReader.function),
      });
    });
  });

  describe('document-reader', () => {
    it('parses uploaded PDF, Word and Excel files with no permission beyond its logs and traces, and no setting of the app', () => {
      const fn = fns['document-reader']!;

      expect(allActions(fn).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
      expect(Object.keys(environmentOf(built.serviceTemplate, fn)).sort()).toEqual(
        [...DEFAULT_VARIABLES].sort(),
      );
    });
  });

  describe('on-upload', () => {
    it('reads, then deletes, exactly the landing object version under uploads/ (nothing more there)', () => {
      const fn = fns['on-upload']!;
      built.serviceTemplate.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(fn.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion'],
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/uploads/*']] },
            }),
          ]),
        },
      });

      expect(s3ActionsUnder(fn, 'uploads/').sort()).toEqual([
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:GetObjectVersion',
      ]);
    });

    it('writes the kept copy under reports/ with its Object Lock retention, reads it back, and can never delete it', () => {
      const fn = fns['on-upload']!;
      const underReports = s3ActionsUnder(fn, 'reports/');
      built.serviceTemplate.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(fn.role) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: ['s3:PutObject', 's3:PutObjectRetention'],
              Resource: { 'Fn::Join': ['', [Match.anyValue(), '/reports/*']] },
            }),
          ]),
        },
      });

      for (const action of ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject', 's3:GetObjectVersion']) {
        expect({ action, allowed: allows(underReports, action) }).toEqual({ action, allowed: true });
      }
      for (const action of [
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:PutObjectLegalHold',
        's3:PutObjectTagging',
      ]) {
        expect({ action, allowed: allows(underReports, action) }).toEqual({ action, allowed: false });
      }
      expect(allows(allActions(fn), 's3:BypassGovernanceRetention')).toBe(false);
      expect(allActions(fn)).not.toContain('s3:*');
    });

    it('puts and reads quarantine/, and may list the bucket (404, not 403); nothing under exports/', () => {
      const fn = fns['on-upload']!;

      expect(s3ActionsUnder(fn, 'quarantine/')).toEqual(
        expect.arrayContaining(['s3:PutObject', 's3:GetObject*']),
      );
      const onBucket = statementsOf(built.serviceTemplate, fn).filter((s) =>
        resourcesOf(s).some((r) =>
          JSON.stringify(r).match(/^\{"Fn::ImportValue":"[^"]*ReportsBucket[^"]*Arn[^"]*"\}$/),
        ),
      );
      expect(onBucket.flatMap(actionsOf)).toContain('s3:List*');
      expect(s3ActionsUnder(fn, 'exports/')).toEqual([]);
    });

    it('reads plans, writes submissions, queues e-mails, and reads no secret', () => {
      const fn = fns['on-upload']!;

      expect(actionsOn(fn, 'PlansTable')).not.toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:UpdateItem');
      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toContain('sqs:SendMessage');
      expect(allActions(fn).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    });
  });

  describe('mailer', () => {
    it('sends through SES on the sender identity and the configuration set only', () => {
      const fn = fns.mailer!;
      const ses = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('ses:')),
      );

      expect([...new Set(ses.flatMap(actionsOf))].sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      expect(ses.flatMap(resourcesOf)).toHaveLength(2);
      const resources = JSON.stringify(ses.flatMap(resourcesOf));
      expect(resources).toContain(':identity/');
      expect(resources).toContain(logicalId(built.service.mail.identity));
      expect(resources).toContain(':configuration-set/');
      expect(resources).toContain(logicalId(built.service.mail.configurationSet));
    });

    it('writes delivery records, consumes the mail queue, reads only the member list of the plans table, and touches neither bucket nor secrets', () => {
      const fn = fns.mailer!;

      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:UpdateItem');
      // Who is sent a sign-in link (issue 18), naming which committees, and whose a message is
      // (docs/tenancy.md): GetItem and Query on the member lists, the index and the registry only.
      expect(actionsOn(fn, 'PlansTable').sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      const onPlans = statementsOf(built.serviceTemplate, fn).filter((s) =>
        JSON.stringify(s.Resource).includes('PlansTable'),
      );
      expect(onPlans).toHaveLength(1);
      expect((onPlans[0] as unknown as { Condition: unknown }).Condition).toEqual({
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': ['MEMBERS', 'C#*#MEMBERS', 'MEMBER#*', 'COMMITTEES', 'TREE#*#PARENTS'],
        },
      });
      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(allActions(fn).filter((a) => /^(s3|secretsmanager|lambda):/.test(a))).toEqual([]);
    });
  });

  describe('ses-events', () => {
    it('may only update items of the submissions table and read the registry: no put, delete or other table', () => {
      const fn = fns['ses-events']!;
      const dynamo = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      const onSubmissions = dynamo.filter((s) => JSON.stringify(resourcesOf(s)).includes('SubmissionsTable'));

      expect(onSubmissions.flatMap(actionsOf)).toEqual(['dynamodb:UpdateItem']);
      // The registry only: the committee an event's tag names (docs/tenancy.md).
      const onPlans = dynamo.filter((s) => JSON.stringify(resourcesOf(s)).includes('PlansTable'));
      expect(onPlans).toHaveLength(1);
      expect(actionsOf(onPlans[0]!).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect((onPlans[0] as unknown as { Condition: unknown }).Condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['COMMITTEES', 'TREE#*#PARENTS'] },
      });
      expect(dynamo).toHaveLength(onSubmissions.length + onPlans.length);
    });

    it('consumes the SES events queue, and touches no other queue, SES, bucket, secret or function', () => {
      const fn = fns['ses-events']!;
      const sqs = statementsOf(built.serviceTemplate, fn).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('sqs:')),
      );

      expect(sqs.flatMap(actionsOf)).toEqual(
        expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']),
      );
      expect(sqs.flatMap(actionsOf)).not.toContain('sqs:SendMessage');
      expect(sqs.flatMap(resourcesOf)).toEqual([
        { 'Fn::GetAtt': [logicalId(built.service.mail.eventsQueue), 'Arn'] },
      ]);
      expect(allActions(fn).filter((a) => /^(ses|s3|secretsmanager|lambda|sns):/.test(a))).toEqual([]);
    });
  });

  describe('planner', () => {
    it('writes both tables, queues e-mails, reads the link key, may start the exporter; no reports bucket', () => {
      const fn = fns.planner!;

      expect(actionsOn(fn, 'PlansTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toContain('sqs:SendMessage');
      expect(actionsOn(fn, 'LinkKeySecret')).toContain('secretsmanager:GetSecretValue');
      expect(actionsOn(fn, 'SessionKeySecret')).toEqual([]);
      expect(actionsOn(fn, logicalId(built.service.exports.exporter.function))).toEqual([
        'lambda:InvokeFunction',
      ]);
      // Only the audit digests (test/infra/audit.test.ts): read and write under audit-digests/.
      expect(s3Grants(fn)).toEqual([
        {
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: expect.stringContaining('AuditDigestBucket'),
        },
      ]);
    });
  });

  describe('exporter', () => {
    it('reads reports/* (any version), writes exports/* (multipart, abort), deletes nothing', () => {
      const fn = fns.exporter!;

      expect(s3ActionsUnder(fn, 'reports/')).toEqual(expect.arrayContaining(['s3:GetObject*']));
      expect(allows(s3ActionsUnder(fn, 'reports/'), 's3:GetObjectVersion')).toBe(true);
      expect(s3ActionsUnder(fn, 'uploads/')).toEqual([]);
      expect(s3ActionsUnder(fn, 'reports/')).not.toContain('s3:PutObject');
      expect(s3ActionsUnder(fn, 'exports/')).toEqual(expect.arrayContaining(['s3:PutObject', 's3:Abort*']));
      expect(s3ActionsUnder(fn, 'exports/')).not.toContain('s3:GetObject*');
      expect(allActions(fn).filter((a) => a.startsWith('s3:Delete'))).toEqual([]);
    });

    it('reads plans, writes export records, queues the e-mail; no secret', () => {
      const fn = fns.exporter!;

      expect(actionsOn(fn, 'PlansTable')).not.toContain('dynamodb:PutItem');
      expect(actionsOn(fn, 'SubmissionsTable')).toContain('dynamodb:PutItem');
      expect(actionsOn(fn, logicalId(built.service.mail.queue))).toContain('sqs:SendMessage');
      expect(allActions(fn).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    });
  });
});
