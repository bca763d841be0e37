/**
 * Bind helpers: each sets the environment variable a function reads and grants exactly the actions
 * that use needs, on exactly that resource, in one call. Actions are spelled out (no `s3:GetObject*`
 * style wildcards) and KMS grants are limited to use through the owning service (`kms:ViaService`).
 */
import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { type BucketId, bucketEnvVar } from '../../declarations/buckets.js';
import { ENV } from '../../declarations/environment.js';
import { tableEnvVar } from '../../declarations/tables.js';
import { acknowledge, arnFinding } from './nag.js';
import type { RecordingFunction } from './recording-function.js';
import type { BuiltTable } from './tables.js';

const viaService = (service: string) => ({
  StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` },
});

// ---------------------------------------------------------------- DynamoDB

export type TableAccess = 'read' | 'write' | 'append';

const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];

/** No `dynamodb:Scan` for anyone: every read path uses a key or an index (issues 4, 6, 7). */
export const TABLE_ACTIONS: Record<TableAccess, readonly string[]> = {
  read: TABLE_READ,
  write: [
    ...TABLE_READ,
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
  // Append-only logs: new items only; an overwrite by PutItem breaks the hash chain and is detected.
  append: [...TABLE_READ, 'dynamodb:PutItem'],
};

export const bindTable = (fn: RecordingFunction, built: BuiltTable, access: TableAccess): void => {
  const { declaration } = built;
  if (declaration.appendOnly && access === 'write') {
    throw new Error(`${fn.functionId}: table ${declaration.id} is append-only; bind it 'append' or 'read'`);
  }
  bindTableGrants(fn, built, [{ actions: TABLE_ACTIONS[access], indexes: true }], access !== 'read');
};

/** One statement of a table grant narrower than bindTable's: its own actions, perhaps a condition. */
export interface TableGrant {
  readonly actions: readonly string[];
  /** Also on each declared index by name (Query by index); default: the table alone. */
  readonly indexes?: boolean;
  readonly conditions?: Record<string, Record<string, unknown>>;
}

/** The table's name in the environment, the statements, and use of its key through DynamoDB. */
export const bindTableGrants = (
  fn: RecordingFunction,
  built: BuiltTable,
  statements: readonly TableGrant[],
  writes: boolean,
): void => {
  const { declaration, table } = built;
  fn.addEnvironment(tableEnvVar(declaration.id), table.tableName);
  for (const grant of statements) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...grant.actions],
        // Each declared index by name: no `index/*` wildcard.
        resources: [
          table.tableArn,
          ...(grant.indexes
            ? declaration.indexes.map((index) => `${table.tableArn}/index/${index.indexName}`)
            : []),
        ],
        conditions: grant.conditions,
      }),
    );
  }
  const key = table.encryptionKey;
  if (key) {
    const actions = writes
      ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
      : ['kms:Decrypt', 'kms:DescribeKey'];
    fn.addToRolePolicy(
      new PolicyStatement({ actions, resources: [key.keyArn], conditions: viaService('dynamodb') }),
    );
  }
};

// ---------------------------------------------------------------- S3

/**
 * - `read`: get objects (and versions), list the bucket so a missing key is a 404, not a 403.
 * - `put`: put and copy into the bucket (SSE-KMS with the recordings key, enforced by bucket policy).
 * - `delete`: delete the current object (unversioned buckets).
 * - `deleteVersion`: permanently delete one named version (versioned archive; Object Lock still
 *   applies). Only s3:DeleteObjectVersion: a version-less DeleteObject on a versioned bucket deletes
 *   nothing and leaves a delete marker that hides the recording, so no function may send one.
 * - `initialRetention`: set the first GOVERNANCE retain-until when archiving, never more than the
 *   minimum retention ahead, and tag `retention=standard` (lifecycle expiry backstop). It cannot
 *   shorten a lock (that needs s3:BypassGovernanceRetention, granted to no function).
 * - `legalHold`: legal hold on/off, retention extension (GOVERNANCE only), retention tag changes.
 */
export type BucketAccess = 'read' | 'put' | 'delete' | 'deleteVersion' | 'initialRetention' | 'legalHold';

/** Object Lock and retention-tag actions: only `legalHold` grants them freely (tests check this). */
export const OBJECT_LOCK_ACTIONS = [
  's3:PutObjectLegalHold',
  's3:GetObjectLegalHold',
  's3:PutObjectRetention',
  's3:GetObjectRetention',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
] as const;

export const BUCKET_ACTIONS: Record<BucketAccess, readonly string[]> = {
  read: ['s3:GetObject', 's3:GetObjectVersion'],
  put: ['s3:PutObject'],
  delete: ['s3:DeleteObject'],
  deleteVersion: ['s3:DeleteObjectVersion'],
  initialRetention: ['s3:PutObjectRetention', 's3:PutObjectTagging'],
  legalHold: [...OBJECT_LOCK_ACTIONS, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'],
};

export interface BindBucketOptions {
  /** Limit object actions to keys under this prefix (e.g. `incoming/`). Default: the whole bucket. */
  readonly prefix?: string;
  /** For `initialRetention`: the largest number of days a retain-until may lie ahead. */
  readonly maxInitialRetentionDays?: number;
  /** For `initialRetention` and `legalHold`: the archive's Object Lock mode (default GOVERNANCE). */
  readonly lockMode?: 'GOVERNANCE' | 'COMPLIANCE';
}

export const bindBucket = (
  fn: RecordingFunction,
  id: BucketId,
  bucket: IBucket,
  access: readonly BucketAccess[],
  options: BindBucketOptions = {},
): void => {
  fn.addEnvironment(bucketEnvVar(id), bucket.bucketName);
  const objects = bucket.arnForObjects(`${options.prefix ?? ''}*`);
  const add = (statement: PolicyStatement) => fn.addToRolePolicy(statement);
  const actions = [...new Set(access.flatMap((kind) => BUCKET_ACTIONS[kind]))];
  acknowledge(
    fn.role ?? fn,
    `AwsSolutions-IAM5[${arnFinding(bucket, `${options.prefix ?? ''}*`)}]`,
    `${fn.functionId} needs ${actions.join(', ')} on objects of the ${id} bucket` +
      `${options.prefix ? ` under ${options.prefix}` : ''}: object-level S3 actions take object ARNs and ` +
      'recording keys are minted at run time, so the key part is a wildcard; bucket and actions are fixed, ' +
      'and every action is named (no action wildcards).',
  );

  for (const kind of access) {
    if (kind === 'initialRetention') {
      const maxDays = options.maxInitialRetentionDays;
      if (maxDays === undefined)
        throw new Error(`${fn.functionId}: initialRetention needs maxInitialRetentionDays`);
      add(
        new PolicyStatement({
          actions: ['s3:PutObjectRetention'],
          resources: [objects],
          conditions: {
            StringEquals: { 's3:object-lock-mode': options.lockMode ?? 'GOVERNANCE' },
            NumericLessThanEquals: { 's3:object-lock-remaining-retention-days': String(maxDays) },
          },
        }),
      );
      add(
        new PolicyStatement({
          actions: ['s3:PutObjectTagging'],
          resources: [objects],
          conditions: {
            StringEquals: { 's3:RequestObjectTag/retention': 'standard' },
            'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['retention'] },
          },
        }),
      );
    } else if (kind === 'legalHold') {
      const [retentionActions, otherActions] = partition(
        BUCKET_ACTIONS.legalHold,
        (a) => a === 's3:PutObjectRetention',
      );
      add(new PolicyStatement({ actions: otherActions, resources: [objects] }));
      // Extending a lock is allowed, in the archive's own mode only: a GOVERNANCE archive never gets a
      // COMPLIANCE lock from a function, so the break-glass purge stays possible.
      add(
        new PolicyStatement({
          actions: retentionActions,
          resources: [objects],
          conditions: { StringEquals: { 's3:object-lock-mode': options.lockMode ?? 'GOVERNANCE' } },
        }),
      );
    } else {
      add(new PolicyStatement({ actions: [...BUCKET_ACTIONS[kind]], resources: [objects] }));
    }
    if (kind === 'read') {
      add(
        new PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          ...(options.prefix ? { conditions: { StringLike: { 's3:prefix': [`${options.prefix}*`] } } } : {}),
        }),
      );
    }
  }

  const key = bucket.encryptionKey;
  if (!key) return;
  const kmsActions = new Set<string>();
  if (access.includes('read')) kmsActions.add('kms:Decrypt');
  if (access.includes('put')) {
    kmsActions.add('kms:GenerateDataKey');
    fn.addEnvironment(ENV.kmsRecordingsKeyId, key.keyArn);
  }
  if (kmsActions.size > 0) {
    add(
      new PolicyStatement({
        actions: [...kmsActions],
        resources: [key.keyArn],
        conditions: viaService('s3'),
      }),
    );
  }
};

const partition = <T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] => [
  items.filter(test),
  items.filter((item) => !test(item)),
];

// ---------------------------------------------------------------- KMS (direct use)

export type KeyUse = 'sign' | 'verify' | 'getPublicKey' | 'generateMac' | 'verifyMac';

const KEY_ACTIONS: Record<KeyUse, string> = {
  sign: 'kms:Sign',
  verify: 'kms:Verify',
  getPublicKey: 'kms:GetPublicKey',
  generateMac: 'kms:GenerateMac',
  verifyMac: 'kms:VerifyMac',
};

/** A key the function calls KMS with directly; env carries the key ARN (a valid KeyId everywhere). */
export const bindKey = (fn: RecordingFunction, key: IKey, envVar: string, uses: readonly KeyUse[]): void => {
  fn.addEnvironment(envVar, key.keyArn);
  fn.addToRolePolicy(
    new PolicyStatement({ actions: uses.map((u) => KEY_ACTIONS[u]), resources: [key.keyArn] }),
  );
};

// ---------------------------------------------------------------- SQS, SNS

export const bindQueue = (fn: RecordingFunction, queue: IQueue, envVar: string): void => {
  fn.addEnvironment(envVar, queue.queueUrl);
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
      resources: [queue.queueArn],
    }),
  );
};

export const bindTopic = (fn: RecordingFunction, topic: ITopic, envVar: string, key?: IKey): void => {
  fn.addEnvironment(envVar, topic.topicArn);
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
  if (key) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: viaService('sns'),
      }),
    );
  }
};
