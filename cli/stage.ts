import { CloudFormationClient, DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import { ValidationError } from '#shared/errors.ts';

/** The settings a deployed stack publishes for the CLI (output `CliEnvironment` of its service stack). */
export const CLI_ENVIRONMENT_OUTPUT = 'CliEnvironment';

const REQUIRED = ['PLANS_TABLE', 'SUBMISSIONS_TABLE', 'REPORTS_BUCKET', 'MAIL_QUEUE_URL', 'APP_URL'] as const;

/** The stack of a stage, as infra/build-app.ts names it. */
export function serviceStackName(stage: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,30}$/.test(stage)) {
    throw new ValidationError(
      `--stage must be a stage name such as prod, got "${stage}"`,
      [],
      `--stage phải là tên một stage, ví dụ prod; nhận được "${stage}".`,
    );
  }
  return `Baocao-${stage}-Service`;
}

/** The CLI's environment from the stack's outputs; a clear error when it is not a baocao stack. */
export function environmentFromOutputs(stackName: string, outputs: Output[]): Record<string, string> {
  const raw = outputs.find((o) => o.OutputKey === CLI_ENVIRONMENT_OUTPUT)?.OutputValue;
  if (!raw)
    throw new ValidationError(
      `Stack ${stackName} has no ${CLI_ENVIRONMENT_OUTPUT} output: deploy this version of baocao first`,
      [],
      `Hệ thống ${stackName} không có output ${CLI_ENVIRONMENT_OUTPUT}: hãy triển khai phiên bản baocao này trước.`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ValidationError(
      `Output ${CLI_ENVIRONMENT_OUTPUT} of ${stackName} is not JSON`,
      [],
      `Output ${CLI_ENVIRONMENT_OUTPUT} của hệ thống ${stackName} không phải JSON.`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ValidationError(
      `Output ${CLI_ENVIRONMENT_OUTPUT} of ${stackName} is not a JSON object`,
      [],
      `Output ${CLI_ENVIRONMENT_OUTPUT} của hệ thống ${stackName} không phải một đối tượng JSON.`,
    );
  }
  const env = Object.fromEntries(
    Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  const missing = REQUIRED.filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new ValidationError(
      `Output ${CLI_ENVIRONMENT_OUTPUT} of ${stackName} lacks ${missing.join(', ')}`,
      [],
      `Output ${CLI_ENVIRONMENT_OUTPUT} của hệ thống ${stackName} thiếu ${missing.join(', ')}.`,
    );
  }
  return env;
}

/**
 * Reads a deployed stage's settings with the operator's AWS credentials (the usual AWS_PROFILE /
 * AWS_REGION). The CLI then runs the same use cases against that stack's tables, bucket, queue
 * and exporter.
 */
export async function readStageEnvironment(stage: string): Promise<Record<string, string>> {
  const stackName = serviceStackName(stage);
  const client = new CloudFormationClient({});
  try {
    const out = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    return environmentFromOutputs(stackName, out.Stacks?.[0]?.Outputs ?? []);
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new ValidationError(
      `Cannot read stack ${stackName}: ${message}`,
      [],
      `Không đọc được hệ thống ${stackName} trên AWS (kiểm tra AWS_PROFILE, AWS_REGION và tên stage): ${message}`,
    );
  } finally {
    client.destroy();
  }
}
