import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ALIASES } from '#infra/bundling/aliases.ts';
import { readTrustFolder, SIGNATURE_BATCH_SIZE } from '#infra/constructs/signatures.ts';
import { makeCa } from '#test/support/signatures/test-pki.ts';
import { logicalId, synthApp } from './fixtures.ts';

/** Issue 15: the signatures queue, the verifier and the trust store asset. */
describe('digital signatures (service stack)', () => {
  let built: ReturnType<typeof synthApp>;
  beforeAll(() => {
    built = synthApp();
  });

  it('feeds the verifier from its queue in batches with partial failures, and moves failures to an alarmed DLQ', () => {
    const { signatures } = built.service;
    built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(signatures.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(signatures.verifier.function) },
      BatchSize: SIGNATURE_BATCH_SIZE,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    built.serviceTemplate.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(signatures.deadLetterQueue), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    built.serviceTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(signatures.deadLetterQueue), 'QueueName'] } },
      ],
    });
  });

  it('gives the verifier the trust store asset, and on-upload and the admin function the queue', () => {
    const { signatures, uploads, api } = built.service;
    built.serviceTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          TRUST_ASSET_BUCKET: Match.anyValue(),
          TRUST_ASSET_KEY: Match.anyValue(),
        }),
      },
      MemorySize: 1024,
    });
    for (const fn of [uploads.onUpload, api.adminFunction]) {
      const resource = built.serviceTemplate.findResources('AWS::Lambda::Function')[logicalId(fn.function)];
      expect(resource?.Properties.Environment.Variables.SIGNATURE_QUEUE_URL).toEqual({
        Ref: logicalId(signatures.queue),
      });
    }
  });

  it('lets the verifier read kept reports, the TRUST partition and the registry only, and update the submissions table', () => {
    const policies = built.serviceTemplate.findResources('AWS::IAM::Policy');
    const verifierRole = logicalId(built.service.signatures.verifier.role);
    const auditTable = logicalId(built.stateful.audit.table);
    // Its audit records (append only) are checked with the audit log's (test/infra/audit.test.ts).
    const statements = Object.values(policies)
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(verifierRole))
      .flatMap(
        (p) =>
          p.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Condition?: unknown;
            Resource?: unknown;
          }[],
      )
      .filter((s) => !JSON.stringify(s.Resource ?? '').includes(auditTable));
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query', 's3:GetObject']),
    );
    for (const never of [
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
      'dynamodb:Scan',
      's3:PutObject',
      's3:DeleteObject',
    ]) {
      expect(actions).not.toContain(never);
    }
    // The plans table: the trust anchors, and the registry (the committee a request names).
    const onPlans = statements.filter((s) => JSON.stringify(s.Resource ?? '').includes('PlansTable'));
    expect(onPlans).toHaveLength(1);
    expect(onPlans[0]!.Action).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(onPlans[0]!.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TRUST', 'COMMITTEES', 'TREE#*#PARENTS'] },
    });
  });
});

describe('the trust store asset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baocao-trust-folder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the certificates of the trust folder, and nothing when it has none', () => {
    writeFileSync(join(dir, 'root.pem'), makeCa('Baocao Asset Root').pem);
    writeFileSync(join(dir, 'README.md'), 'not a certificate');

    expect(readTrustFolder(dir).map((a) => a.subject)).toEqual(['Baocao Asset Root, Baocao Test PKI']);
    expect(readTrustFolder(join(dir, 'missing'))).toEqual([]);
  });
});

describe('bundles', () => {
  const bundle = async (entry: string) => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      mainFields: ['module', 'main'],
      minify: true,
      alias: { ...LAMBDA_ALIASES },
      write: false,
      metafile: true,
      logLevel: 'error',
    });
    return { inputs: Object.keys(result.metafile.inputs), bytes: result.outputFiles[0]!.contents.length };
  };

  it('keeps pkijs and asn1js out of the on-upload function, and in the verifier', async () => {
    const onUpload = await bundle('functions/on-upload.ts');
    const verifier = await bundle('functions/verify-signatures.ts');

    expect(onUpload.inputs.filter((p) => /node_modules\/(pkijs|asn1js)\//.test(p))).toEqual([]);
    expect(verifier.inputs.some((p) => p.includes('node_modules/pkijs/'))).toBe(true);
  });
});
