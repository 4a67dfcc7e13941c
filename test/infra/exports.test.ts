import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORTER_MEMORY_MB } from '#infra/constructs/exports.ts';
import {
  actionsOf,
  functionProperties,
  logicalId,
  resourcesOf,
  statementsOf,
  synthApp,
  TEST_CONTEXT,
} from './fixtures.ts';

describe('Exports', () => {
  let built: ReturnType<typeof synthApp>;

  beforeAll(() => {
    built = synthApp();
  });

  it('gives the exporter one full vCPU (1,769 MB), 15 minutes and the default ephemeral storage', () => {
    expect(EXPORTER_MEMORY_MB).toBe(1769);
    const properties = functionProperties(built.serviceTemplate, built.service.exports.exporter);

    expect(properties).toMatchObject({ MemorySize: 1769, Timeout: 900 });
    // It streams from S3 to S3: nothing is written to /tmp.
    expect(properties.EphemeralStorage).toBeUndefined();
  });

  it('runs the exporter with source maps and its young generation capped (a peak that does not grow with the export)', () => {
    const properties = functionProperties(built.serviceTemplate, built.service.exports.exporter);
    const environment = (properties.Environment as { Variables: Record<string, string> }).Variables;
    expect(environment.NODE_OPTIONS).toBe('--enable-source-maps --max-semi-space-size=8');
  });

  it('retries a failed export twice within two hours, then keeps the request in the export failure queue', () => {
    built.serviceTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(built.service.exports.exporter.function) },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 7200,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(built.service.exports.failureQueue), 'Arn'] } },
      },
    });
  });

  it('may send its failed events to that queue (the destination needs sqs:SendMessage)', () => {
    const failureQueue = logicalId(built.service.exports.failureQueue);
    const onQueue = statementsOf(built.serviceTemplate, built.service.exports.exporter).filter((s) =>
      JSON.stringify(resourcesOf(s)).includes(failureQueue),
    );

    expect(onQueue.flatMap(actionsOf)).toContain('sqs:SendMessage');
  });

  it("passes the compiled report's place and superior committee to the exporter only when they are given", () => {
    const environment = (app: ReturnType<typeof synthApp>) =>
      (
        functionProperties(app.serviceTemplate, app.service.exports.exporter).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(environment(built)).not.toHaveProperty('COMMITTEE_PLACE');
    expect(environment(built)).not.toHaveProperty('SUPERIOR_COMMITTEE');

    const withReport = synthApp({
      ...TEST_CONTEXT,
      committeePlace: ' Hải Dương ',
      superiorCommittee: 'Đảng ủy Khối các cơ quan tỉnh',
    });
    expect(environment(withReport)).toMatchObject({
      COMMITTEE_PLACE: 'Hải Dương',
      SUPERIOR_COMMITTEE: 'Đảng ủy Khối các cơ quan tỉnh',
    });
  });
});
