/**
 * cdk-nag acknowledgments. Every one names a single finding id (rule plus the exact finding, e.g.
 * `AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`) and a reason a security reviewer can check. They are
 * recorded on the narrowest construct that produces the finding, next to the code that causes it.
 */

import type { CfnElement } from 'aws-cdk-lib';
import { type IResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};

/** `<LogicalId.Arn>/<suffix>`: how cdk-nag prints `resource.arn + '/' + suffix` in a finding. */
export const arnFinding = (resource: IResource, suffix: string): string => {
  const cfn = resource.node.defaultChild as CfnElement;
  return `Resource::<${Stack.of(resource).getLogicalId(cfn)}.Arn>/${suffix}`;
};
