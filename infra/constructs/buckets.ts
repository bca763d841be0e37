import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type LifecycleRule,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INBOX_PREFIX } from '../../declarations/buckets.js';

export interface BucketsProps {
  readonly recordingsKey: IKey;
  /** Object Lock default retention, in days (the longest `retentionMinMonths` can last). */
  readonly minRetentionDays: number;
  /** Lifecycle backstop expiry of `retention=standard` objects, in days from upload. */
  readonly standardExpiryDays: number;
  /** Lifecycle backstop expiry of released copies, in days. */
  readonly releaseCopyExpiryDays: number;
  /** How long server access logs are kept, in days. */
  readonly accessLogExpiryDays: number;
  /**
   * The archive's Object Lock mode (`archiveLockMode` in cdk.json). GOVERNANCE: the break-glass role
   * alone can purge a locked recording (card data captured by mistake, s.2). COMPLIANCE: nobody can,
   * not even the account root, until the lock ends (infra/README.md, "Object Lock mode").
   */
  readonly archiveLockMode: 'GOVERNANCE' | 'COMPLIANCE';
}

/** Lifecycle figures that are design choices rather than policy numbers; tests read them from here. */
export const LIFECYCLE = {
  /** Recordings move to Glacier Instant Retrieval (millisecond reads, cheaper storage) after this. */
  archiveTransitionDays: 30,
  /** A version stops being current only when deleted or replaced; remove it after this. */
  noncurrentExpiryDays: 7,
  abortMultipartDays: 1,
  /**
   * Unprocessed uploads under `incoming/` expire after this. It matches the DLQ's 14-day retention so a
   * redriven message still finds its object: nothing is lost to a broken pipeline within that window.
   */
  inboxIncomingExpiryDays: 14,
  /** Quarantined audio and its reason document (issue 3). */
  inboxQuarantineExpiryDays: 30,
} as const;

/** The tag the ingest function puts on archived recordings; holds change it so lifecycle skips them. */
export const STANDARD_RETENTION_TAG = { key: 'retention', value: 'standard' } as const;

/**
 * The recording buckets and the access-log bucket they log to.
 *
 * Every recording bucket: public access blocked, TLS 1.2+ only, SSE-KMS with the recordings key and
 * S3 bucket keys, and a policy refusing any PutObject (or copy) that does not ask for SSE-KMS with that
 * exact key. Writers must send `x-amz-server-side-encryption: aws:kms` and
 * `x-amz-server-side-encryption-aws-kms-key-id: <key ARN>`; `UploadPart` carries neither header, so
 * multipart uploads are refused too (single PUTs and copies go up to 5 GB).
 */
export class Buckets extends Construct {
  readonly accessLogs: Bucket;
  readonly inbox: Bucket;
  readonly archive: Bucket;
  readonly releases: Bucket;

  constructor(scope: Construct, id: string, props: BucketsProps) {
    super(scope, id);

    // An Object Lock bucket cannot receive server access logs, so logs go to this plain bucket.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED, // the S3 log delivery service cannot write with SSE-KMS
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(props.accessLogExpiryDays) },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const common = (logPrefix: string) => ({
      encryption: BucketEncryption.KMS,
      encryptionKey: props.recordingsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const abortMultipart: LifecycleRule = {
      id: 'abort-incomplete-multipart',
      abortIncompleteMultipartUploadAfter: Duration.days(LIFECYCLE.abortMultipartDays),
    };

    this.inbox = new Bucket(this, 'Inbox', {
      ...common('inbox/'),
      lifecycleRules: [
        {
          id: 'expire-incoming',
          prefix: INBOX_PREFIX.incoming,
          expiration: Duration.days(LIFECYCLE.inboxIncomingExpiryDays),
        },
        {
          id: 'expire-quarantine',
          prefix: INBOX_PREFIX.quarantine,
          expiration: Duration.days(LIFECYCLE.inboxQuarantineExpiryDays),
        },
        abortMultipart,
      ],
    });

    this.archive = new Bucket(this, 'Archive', {
      ...common('archive/'),
      versioned: true,
      objectLockEnabled: true,
      // GOVERNANCE by default: a recording that captured card data can still be purged by the
      // break-glass role (s3:BypassGovernanceRetention), which no function holds. COMPLIANCE on request.
      objectLockDefaultRetention:
        props.archiveLockMode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(props.minRetentionDays))
          : ObjectLockRetention.governance(Duration.days(props.minRetentionDays)),
      eventBridgeEnabled: true,
      lifecycleRules: [
        {
          id: 'transition-to-glacier-ir',
          transitions: [
            {
              storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(LIFECYCLE.archiveTransitionDays),
            },
          ],
        },
        {
          // Backstop to the daily deletion sweeper: only objects still tagged retention=standard, so a
          // held recording (tag retention=hold) is never expired by lifecycle.
          id: 'expire-standard-retention',
          tagFilters: { [STANDARD_RETENTION_TAG.key]: STANDARD_RETENTION_TAG.value },
          expiration: Duration.days(props.standardExpiryDays),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(LIFECYCLE.noncurrentExpiryDays),
        },
        { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
        abortMultipart,
      ],
    });

    this.releases = new Bucket(this, 'Releases', {
      ...common('releases/'),
      lifecycleRules: [
        // The sweeper deletes expired copies and logs it; this is the backstop if it does not run.
        { id: 'expire-release-copies', expiration: Duration.days(props.releaseCopyExpiryDays) },
        abortMultipart,
      ],
    });

    for (const bucket of [this.inbox, this.archive, this.releases]) {
      requireKmsOnPut(bucket, props.recordingsKey);
    }
  }
}

/** Refuses any PutObject/CopyObject that does not request SSE-KMS with exactly this key. */
const requireKmsOnPut = (bucket: Bucket, key: IKey): void => {
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyPutWithoutSseKms',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      // StringNotEquals is true when the header is absent, so a PUT without it is refused as well.
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }),
  );
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'DenyPutWithOtherKmsKey',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': key.keyArn } },
    }),
  );
};
