import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type BaocaoApp, buildApp } from '#infra/build-app.ts';
import type { RawContext } from '#infra/config.ts';
import type { BaocaoFunction } from '#infra/constructs/baocao-function.ts';

/** Context of a realistic deployment: every required value given. */
export const TEST_CONTEXT: RawContext = {
  stage: 'test',
  senderEmail: 'baocao@example.vn',
  committeeEmails: 'van-phong@example.vn, bi-thu@example.vn',
};

/**
 * Builds the app and the templates of its two stacks. Functions are not bundled (the templates
 * are the same but for asset hashes); `bundle: true` runs esbuild for all seven.
 */
export function synthApp(
  context: RawContext = TEST_CONTEXT,
  options: { bundle?: boolean } = {},
): BaocaoApp & {
  statefulTemplate: Template;
  serviceTemplate: Template;
} {
  const built = buildApp(context, { bundle: options.bundle ?? false });
  return {
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    serviceTemplate: Template.fromStack(built.service),
  };
}

/** Logical id of a construct's CloudFormation resource, as it appears in its stack's template. */
export function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  const resource = construct.node.defaultChild as CfnElement;
  return Stack.of(resource).getLogicalId(resource);
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every Allow statement of the policies attached to a function's role. */
export function statementsOf(template: Template, fn: BaocaoFunction): Statement[] {
  const roleId = logicalId(fn.role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
    Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } };
  }[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => statement.Effect === 'Allow');
}

/** The actions of a statement, always as a list. */
export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** The resources of a statement, always as a list. */
export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** The Lambda function resource (properties) of a BaocaoFunction. */
export function functionProperties(template: Template, fn: BaocaoFunction): Record<string, unknown> {
  const resource = template.findResources('AWS::Lambda::Function')[logicalId(fn.function)];
  if (!resource) throw new Error(`no function ${fn.node.path}`);
  return resource.Properties as Record<string, unknown>;
}

/** The environment variables of a BaocaoFunction, as in the template. */
export function environmentOf(template: Template, fn: BaocaoFunction): Record<string, unknown> {
  const properties = functionProperties(template, fn) as {
    Environment: { Variables: Record<string, unknown> };
  };
  return properties.Environment.Variables;
}

/**
 * A CloudFormation value as text, intrinsic functions written as placeholders: `Fn::Join` joined,
 * `{Ref: X}` as `${X}`, `{Fn::GetAtt: [X, Y]}` as `${X.Y}`, `{Fn::ImportValue: X}` as `${import:X}`,
 * `{Fn::Sub: T}` as its template T.
 */
export function cfnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(cfnText).join(separator);
  }
  if ('Ref' in v) return `\${${String(v.Ref)}}`;
  if ('Fn::GetAtt' in v) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::ImportValue' in v) return `\${import:${cfnText(v['Fn::ImportValue'])}}`;
  // `Fn::Sub`: its template as written (`${AWS::AccountId}` … left in place).
  if ('Fn::Sub' in v) {
    const sub = v['Fn::Sub'];
    return typeof sub === 'string' ? sub : cfnText((sub as unknown[])[0]);
  }
  throw new Error(`cfnText: unsupported ${JSON.stringify(value)}`);
}

/** The SDK call of an AwsCustomResource (`Create`, `Update` or `Delete`), parsed. */
export function customResourceCall(
  template: Template,
  type: string,
  phase: 'Create' | 'Update' | 'Delete',
): { service: string; action: string; parameters: Record<string, unknown> } {
  const resources = Object.values(template.findResources(type));
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return JSON.parse(cfnText(resources[0]!.Properties[phase]));
}
