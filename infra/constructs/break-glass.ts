import { Duration } from 'aws-cdk-lib';
import { AccountRootPrincipal, AnyPrincipal, Effect, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, arnFinding } from './nag.js';

export interface BreakGlassProps {
  readonly archive: IBucket;
}

/**
 * The only holder of s3:BypassGovernanceRetention: purges a recording that must not exist (card data
 * captured despite PCI controls, policy s.2) before its 12-month lock ends. No function has it.
 * Assumable only by IAM principals of this account that the account allows to assume it, signed in
 * with MFA, for at most an hour. The archive's bucket policy denies s3:BypassGovernanceRetention to every
 * other principal, whatever its IAM policies say. Every use is in CloudTrail: the stack's trail records
 * the archive's S3 data events (audit-trail.ts). Procedure: infra/README.md, "Break-glass purge".
 */
export class BreakGlass extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: BreakGlassProps) {
    super(scope, id);
    this.role = new Role(this, 'PurgeRole', {
      description: 'Break-glass: purge a locked recording version (GOVERNANCE bypass). MFA required.',
      assumedBy: new AccountRootPrincipal().withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      maxSessionDuration: Duration.hours(1),
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: [
          's3:BypassGovernanceRetention',
          's3:DeleteObjectVersion',
          's3:GetObjectRetention',
          's3:GetObjectLegalHold',
        ],
        resources: [props.archive.arnForObjects('*')],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [props.archive.bucketArn] }),
    );
    // Issue 11 item 6: an IAM policy elsewhere in the account granting s3:BypassGovernanceRetention
    // (an admin's s3:*) must not reach the archive: the bucket policy denies it to all but this role.
    props.archive.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyGovernanceBypassExceptBreakGlass',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['s3:BypassGovernanceRetention'],
        resources: [props.archive.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.role.roleArn } },
      }),
    );
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[${arnFinding(props.archive, '*')}]`,
      'The break-glass purge must reach whichever recording version captured card data, so the key part ' +
        'of the archive object ARN is a wildcard; the actions are named, the role needs MFA to assume and ' +
        'lasts at most an hour, and each use is recorded by CloudTrail.',
    );
  }
}
