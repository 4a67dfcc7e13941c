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

/** Builds the app (esbuild bundles both functions) and the templates of its two stacks. */
export function synthApp(context: RawContext = TEST_CONTEXT): BaocaoApp & {
  statefulTemplate: Template;
  serviceTemplate: Template;
} {
  const built = buildApp(context);
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
