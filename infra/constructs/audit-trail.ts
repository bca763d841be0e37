import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { ReadWriteType, Trail } from 'aws-cdk-lib/aws-cloudtrail';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KEY_ADMIN_ACTIONS } from './keys.js';

export interface AuditTrailProps {
  /** The Object Lock archive whose writes and deletes are recorded (S3 data events). */
  readonly archive: IBucket;
  /** Server access logs of the trail bucket go here. */
  readonly accessLogs: IBucket;
  /** How long each log file is locked, in days. */
  readonly lockDays: number;
  readonly lockMode: 'GOVERNANCE' | 'COMPLIANCE';
}

/**
 * Issue 11 item 5: a CloudTrail trail that records every write and delete on the archive (S3 data
 * events: PutObject, CopyObject, DeleteObject, DeleteObjectVersion, PutObjectRetention,
 * PutObjectLegalHold, ...), so a break-glass purge (a governance-bypass DeleteObjectVersion) is on
 * record, with who did it. Management events (AssumeRole of the break-glass role, key and bucket policy
 * changes) are recorded too.
 *
 * The log files go to a bucket of their own: versioned, Object Lock (each file locked for the minimum
 * retention period, in the archive's lock mode), SSE-KMS with a key of its own that CloudTrail may only
 * encrypt with, and log-file integrity validation (signed digest files) on.
 */
export class AuditTrail extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly trail: Trail;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const trailArn = `arn:${Aws.PARTITION}:cloudtrail:${Aws.REGION}:${Aws.ACCOUNT_ID}:trail/*`;
    this.key = new Key(this, 'Key', {
      description: 'CloudTrail log files of the call recording archive (S3 data events)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'KeyAdministration',
            principals: [new AccountRootPrincipal()],
            actions: [...KEY_ADMIN_ACTIONS],
            resources: ['*'],
          }),
          new PolicyStatement({
            sid: 'CloudTrailEncryptsLogFiles',
            principals: [new ServicePrincipal('cloudtrail.amazonaws.com')],
            actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
            resources: ['*'],
            conditions: {
              StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
            },
          }),
          new PolicyStatement({
            sid: 'ReadLogFilesThroughS3',
            principals: [new AccountRootPrincipal()],
            actions: ['kms:Decrypt', 'kms:DescribeKey'],
            resources: ['*'],
            conditions: {
              StringEquals: {
                'kms:CallerAccount': Aws.ACCOUNT_ID,
                'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`,
              },
            },
          }),
        ],
      }),
    });

    this.bucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(props.lockDays))
          : ObjectLockRetention.governance(Duration.days(props.lockDays)),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'trail/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.trail = new Trail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.key,
      enableFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: false,
    });
    this.trail.addS3EventSelector([{ bucket: props.archive }], {
      readWriteType: ReadWriteType.WRITE_ONLY,
      includeManagementEvents: true,
    });
  }
}
