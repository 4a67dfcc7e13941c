/** The same invoke as invoke-sdk.ts, the way the committee app and the planner make it. */
import { awsCredentials } from '#shared/adapters/aws-signing.ts';
import { LambdaExportInvoker } from '#shared/adapters/export-invoker.ts';

const invoker = new LambdaExportInvoker({
  region: 'ap-southeast-1',
  functionName: 'exporter',
  credentials: awsCredentials(),
});

export const handler = async () =>
  invoker.invoke({ planId: 'p', year: 2026, exportId: 'x', requestedBy: 'a@b.c' });
