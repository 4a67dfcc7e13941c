import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';

/**
 * The committee registry's partitions of the plans table (shared/adapters/dynamodb/committee-registry.ts):
 * the committee list, and each committee's dated parent links.
 */
export const REGISTRY_LEADING_KEYS = ['COMMITTEES', 'TREE#*#PARENTS'];

/**
 * Lets a function whose entry point picks its committee through a committee directory
 * (functions/wiring/committee-directory.ts: the committee, then its parent on today's date) read
 * the registry — GetItem and Query of its partitions, nothing else of the plans table — plus
 * `alsoKeys` (partition patterns of the same table the function reads anyway). Without it, every
 * message of a committee other than the deployment's first is refused on AWS (AccessDenied),
 * while the local stack, which has no IAM, works.
 */
export function grantRegistryRead(
  grantee: IGrantable,
  plansTable: ITable,
  alsoKeys: readonly string[] = [],
): void {
  Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:GetItem', 'dynamodb:Query'],
    resourceArns: [plansTable.tableArn],
    conditions: {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...alsoKeys, ...REGISTRY_LEADING_KEYS] },
    },
  });
}
