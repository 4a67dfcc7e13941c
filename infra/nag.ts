import { Stack, Validations } from 'aws-cdk-lib';
// Not part of cdk-nag's index: the very function its IAM5 rule uses to turn a resource into the
// text of the finding id, so the id computed here always matches the one reported.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * The id of one cdk-nag finding: a rule of the AwsSolutions or Serverless pack, with the exact
 * action or resource for the granular IAM5 rule (`AwsSolutions-IAM5[Action::s3:List*]`).
 */
export type NagFindingId = `AwsSolutions-${string}` | `Serverless-${string}`;

/**
 * Acknowledges one cdk-nag finding on `scope`, the narrowest construct that has it (never an
 * app or a stack), saying why it is acceptable there. Every acknowledgement in infra/ goes
 * through this function or {@link acknowledgeWildcardResource}, with the reason written at the
 * call site; test/infra/acknowledgements.test.ts reads them all and refuses an empty or generic
 * reason and an IAM5 id without its action or resource.
 */
export function acknowledge(scope: IConstruct, id: NagFindingId, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges one cdk-nag `AwsSolutions-IAM5[Resource::…]` finding on `scope`: the wildcard
 * resource `arn` (e.g. `bucket.arnForObjects('reports/*')`) of a grant made to a role under
 * `scope`. No other wildcard resource is acknowledged.
 *
 * The finding id embeds the ARN as CloudFormation will see it. For a resource of another stack
 * that is the name of an export, which exists only once the app resolves its cross-stack
 * references during synthesis; so the id is computed in a validation hook, which runs after
 * references are resolved and before the policy-validation plugins (cdk-nag) run.
 */
export function acknowledgeWildcardResource(scope: IConstruct, arn: string, reason: string): void {
  scope.node.addValidation({
    validate: () => {
      const resource = flattenCfnReference(Stack.of(scope).resolve(arn));
      acknowledge(scope, `AwsSolutions-IAM5[Resource::${resource}]`, reason);
      return [];
    },
  });
}
