import { Match } from 'aws-cdk-lib/assertions';
import { INBOX_PREFIX } from '../../declarations/buckets.js';
import { TABLES } from '../../declarations/tables.js';
import { LIFECYCLE, STANDARD_RETENTION_TAG } from '../../infra/constructs/buckets.js';
import { BACKSTOP_MARGIN_DAYS } from '../../infra/stack.js';
import { type Built, buildStack, type CfnResource, type Json, list, logicalIdOf } from './fixture.js';

let built: Built;
let ids: {
  archive: string;
  inbox: string;
  releases: string;
  accessLogs: string;
  recordingsKey: string;
  dataKey: string;
};

beforeAll(() => {
  built = buildStack();
  const { stack } = built;
  ids = {
    archive: logicalIdOf(stack, stack.buckets.archive),
    inbox: logicalIdOf(stack, stack.buckets.inbox),
    releases: logicalIdOf(stack, stack.buckets.releases),
    accessLogs: logicalIdOf(stack, stack.buckets.accessLogs),
    recordingsKey: logicalIdOf(stack, stack.keys.recordings),
    dataKey: logicalIdOf(stack, stack.keys.data),
  };
});

const resource = (logicalId: string): CfnResource => {
  const found = built.json.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
};
const rules = (bucketId: string): Record<string, Json>[] =>
  resource(bucketId).Properties?.LifecycleConfiguration?.Rules ?? [];
const rule = (bucketId: string, ruleId: string): Record<string, Json> => {
  const found = rules(bucketId).find((r) => r.Id === ruleId);
  if (!found) throw new Error(`no lifecycle rule ${ruleId} on ${bucketId}`);
  return found;
};
const policyOf = (bucketId: string): Record<string, Json>[] => {
  const policy = Object.values(built.json.Resources).find(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties?.Bucket?.Ref === bucketId,
  );
  return list(policy?.Properties?.PolicyDocument?.Statement);
};

describe('archive bucket (policy s.7)', () => {
  it('locks every new object version in GOVERNANCE mode for at least 12 calendar months', () => {
    // Arrange
    const archive = resource(ids.archive).Properties ?? {};

    // Act
    const lock = archive.ObjectLockConfiguration;

    // Assert: 366 days = the longest 12 calendar months can be (a span over 29 February).
    expect(archive.ObjectLockEnabled).toBe(true);
    expect(archive.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(lock).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 366 } },
    });
  });

  it('moves recordings to Glacier Instant Retrieval after 30 days, whatever their tags', () => {
    const transition = rule(ids.archive, 'transition-to-glacier-ir');

    expect(transition.Transitions).toEqual([{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }]);
    expect(transition.TagFilters).toBeUndefined();
    expect(transition.Prefix).toBeUndefined();
  });

  it('expires only objects tagged retention=standard, a week after 24 calendar months', () => {
    const expiring = rules(ids.archive).filter((r) => r.ExpirationInDays !== undefined);

    // 731 days = the longest 24 calendar months; the sweeper deletes first, this is its backstop.
    expect(expiring).toEqual([
      {
        Id: 'expire-standard-retention',
        Status: 'Enabled',
        ExpirationInDays: 731 + BACKSTOP_MARGIN_DAYS,
        TagFilters: [{ Key: STANDARD_RETENTION_TAG.key, Value: STANDARD_RETENTION_TAG.value }],
      },
    ]);
  });

  it('cleans up noncurrent versions, expired delete markers and abandoned multipart uploads', () => {
    expect(rule(ids.archive, 'expire-noncurrent-versions').NoncurrentVersionExpiration).toEqual({
      NoncurrentDays: LIFECYCLE.noncurrentExpiryDays,
    });
    expect(rule(ids.archive, 'remove-expired-delete-markers').ExpiredObjectDeleteMarker).toBe(true);
    expect(rule(ids.archive, 'abort-incomplete-multipart').AbortIncompleteMultipartUpload).toEqual({
      DaysAfterInitiation: 1,
    });
    expect(rules(ids.archive)).toHaveLength(5);
  });

  it('sends its events to EventBridge', () => {
    built.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: ids.archive },
      NotificationConfiguration: Match.objectLike({ EventBridgeConfiguration: {} }),
    });
  });
});

describe('inbox and releases buckets', () => {
  it('expires unprocessed uploads after 14 days and quarantined audio after 30', () => {
    expect(rule(ids.inbox, 'expire-incoming')).toMatchObject({
      Prefix: INBOX_PREFIX.incoming,
      ExpirationInDays: 14,
    });
    expect(rule(ids.inbox, 'expire-quarantine')).toMatchObject({
      Prefix: INBOX_PREFIX.quarantine,
      ExpirationInDays: 30,
    });
    expect(
      rule(ids.inbox, 'abort-incomplete-multipart').AbortIncompleteMultipartUpload.DaysAfterInitiation,
    ).toBe(1);
  });

  it('queues an event for every object created under incoming/ only', () => {
    built.template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: ids.inbox },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: INBOX_PREFIX.incoming }] } },
            QueueArn: { 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.messaging.inboxEvents), 'Arn'] },
          },
        ],
      },
    });
  });

  it('expires released copies one day after the 30-day release copy lifetime', () => {
    expect(rule(ids.releases, 'expire-release-copies').ExpirationInDays).toBe(31);
  });
});

describe('every bucket', () => {
  const recordingBuckets = () => [ids.inbox, ids.archive, ids.releases];

  it('blocks all public access and refuses plain HTTP', () => {
    for (const id of [...recordingBuckets(), ids.accessLogs]) {
      expect(resource(id).Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(policyOf(id)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('encrypts recordings with the recordings key and S3 bucket keys, and logs access to the log bucket', () => {
    for (const id of recordingBuckets()) {
      const props = resource(id).Properties ?? {};
      expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [ids.recordingsKey, 'Arn'] },
          },
        },
      ]);
      expect(props.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: ids.accessLogs });
    }
  });

  it('refuses uploads that do not ask for SSE-KMS with the recordings key', () => {
    for (const id of recordingBuckets()) {
      const denies = policyOf(id).filter((s) => s.Effect === 'Deny' && s.Action === 's3:PutObject');
      expect(denies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
          }),
          expect.objectContaining({
            Condition: {
              StringNotEquals: {
                's3:x-amz-server-side-encryption-aws-kms-key-id': {
                  'Fn::GetAtt': [ids.recordingsKey, 'Arn'],
                },
              },
            },
          }),
        ]),
      );
    }
  });

  it('keeps the access-log bucket plain: S3-managed encryption, no Object Lock', () => {
    const props = resource(ids.accessLogs).Properties ?? {};

    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(props.ObjectLockEnabled).toBeUndefined();
  });

  it('retains every bucket when the stack is deleted', () => {
    for (const id of [...recordingBuckets(), ids.accessLogs]) {
      expect(resource(id).DeletionPolicy).toBe('Retain');
    }
  });
});

describe('KMS keys', () => {
  it('rotates the symmetric keys every year', () => {
    for (const id of [ids.recordingsKey, ids.dataKey]) {
      expect(resource(id).Properties).toMatchObject({ EnableKeyRotation: true });
      expect(resource(id).Properties?.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    }
  });

  it('has an ECC P-256 sign/verify key for log checkpoints and an HMAC key for caller numbers', () => {
    const { stack } = built;

    expect(resource(logicalIdOf(stack, stack.keys.signing)).Properties).toMatchObject({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
    });
    expect(resource(logicalIdOf(stack, stack.keys.callerHmac)).Properties).toMatchObject({
      KeySpec: 'HMAC_256',
      KeyUsage: 'GENERATE_VERIFY_MAC',
    });
  });

  it('retains every key when the stack is deleted', () => {
    for (const key of Object.values(built.template.findResources('AWS::KMS::Key'))) {
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('DynamoDB tables', () => {
  const tableOf = (id: string) =>
    resource(logicalIdOf(built.stack, built.stack.tables.get(id as never).table));

  it('builds exactly the tables declared in declarations/tables.ts', () => {
    expect(Object.keys(built.template.findResources('AWS::DynamoDB::Table'))).toHaveLength(TABLES.length);
  });

  it.each(TABLES.map((t) => [t.id, t] as const))('%s matches its declaration', (_id, declaration) => {
    // Arrange
    const props = tableOf(declaration.id).Properties ?? {};
    const keySchema = (pk: { name: string }, sk?: { name: string }) => [
      { AttributeName: pk.name, KeyType: 'HASH' },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
    ];

    // Assert
    expect(props.KeySchema).toEqual(keySchema(declaration.partitionKey, declaration.sortKey));
    expect(props.GlobalSecondaryIndexes ?? []).toEqual(
      declaration.indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const declaredAttributes = [
      declaration.partitionKey,
      declaration.sortKey,
      ...declaration.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ]
      .filter((k) => k !== undefined)
      .map((k) => ({ AttributeName: k.name, AttributeType: k.type }));
    expect(new Set(props.AttributeDefinitions.map(JSON.stringify))).toEqual(
      new Set(declaredAttributes.map((a) => JSON.stringify(a))),
    );
    expect(props.TimeToLiveSpecification).toEqual(
      declaration.timeToLiveAttribute
        ? { AttributeName: declaration.timeToLiveAttribute, Enabled: true }
        : undefined,
    );
  });

  it('turns on point-in-time recovery, KMS with the data key, on-demand billing and deletion protection for every table', () => {
    for (const table of Object.values(built.template.findResources('AWS::DynamoDB::Table'))) {
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [ids.dataKey, 'Arn'] },
        },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
  });
});

describe('queues and topics', () => {
  it('encrypts every queue, refuses plain HTTP, and gives each work queue a DLQ', () => {
    const { messaging } = built.stack;
    const queues = built.template.findResources('AWS::SQS::Queue');

    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const [work, dlq] of [
      [messaging.inboxEvents, messaging.inboxEventsDlq],
      [messaging.holdFanout, messaging.holdFanoutDlq],
    ] as const) {
      expect(resource(logicalIdOf(built.stack, work)).Properties?.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(built.stack, dlq), 'Arn'] },
        maxReceiveCount: 5,
      });
    }
    const tlsDenies = Object.values(built.template.findResources('AWS::SQS::QueuePolicy')).filter((p) =>
      list(p.Properties.PolicyDocument.Statement).some(
        (s: Json) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
    expect(tlsDenies).toHaveLength(Object.keys(queues).length);
  });

  it('encrypts the notices and alarms topics with the data key and refuses plain HTTP', () => {
    const topics = built.template.findResources('AWS::SNS::Topic');
    expect(Object.keys(topics)).toHaveLength(2);
    for (const topic of Object.values(topics)) {
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [ids.dataKey, 'Arn'] });
    }
    for (const policy of Object.values(built.template.findResources('AWS::SNS::TopicPolicy'))) {
      expect(list(policy.Properties.PolicyDocument.Statement)).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});
