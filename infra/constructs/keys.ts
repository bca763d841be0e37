import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Key administration: manage, describe, rotate, schedule deletion; never use the key. No `kms:Create*`
 * (it includes CreateGrant, which would let an administrator grant themselves use).
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
] as const;

/** The AWS services that use the symmetric keys on a caller's behalf. */
export const KEY_USING_SERVICES = ['s3', 'dynamodb', 'sns', 'sqs'] as const;

const SYMMETRIC_USE = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
  'kms:CreateGrant',
];

/**
 * A key policy that separates administration from use (issue 11 item 6). The account's IAM principals
 * get administration through IAM (statement `KeyAdministration`), and use only in the one way the key
 * is used:
 * - symmetric keys (`recordings`, `data`): only through S3, DynamoDB, SNS or SQS of this region
 *   (`kms:ViaService`), never a direct Decrypt of a data key;
 * - the signing and HMAC keys: only by this stack's roles (the function roles), and only their
 *   operation (Sign/GetPublicKey, GenerateMac).
 * No statement grants `kms:*`; services the stack wires (CloudWatch alarms) add their own statements.
 */
export const keyPolicy = (scope: Construct, use: 'symmetric' | 'sign' | 'mac'): PolicyDocument => {
  const root = new AccountRootPrincipal();
  const administration = new PolicyStatement({
    sid: 'KeyAdministration',
    principals: [root],
    actions: [...KEY_ADMIN_ACTIONS],
    resources: ['*'],
  });
  const stackRoles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${Stack.of(scope).stackName}-*`;
  const usage =
    use === 'symmetric'
      ? new PolicyStatement({
          sid: 'KeyUseThroughServices',
          principals: [root],
          actions: SYMMETRIC_USE,
          resources: ['*'],
          conditions: {
            StringEquals: {
              'kms:CallerAccount': Aws.ACCOUNT_ID,
              'kms:ViaService': KEY_USING_SERVICES.map((s) => `${s}.${Aws.REGION}.amazonaws.com`),
            },
          },
        })
      : new PolicyStatement({
          sid: 'KeyUseByStackRoles',
          principals: [root],
          actions:
            use === 'sign'
              ? ['kms:Sign', 'kms:Verify', 'kms:GetPublicKey', 'kms:DescribeKey']
              : ['kms:GenerateMac', 'kms:VerifyMac', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: { ArnLike: { 'aws:PrincipalArn': stackRoles } },
        });
  return new PolicyDocument({ statements: [administration, usage] });
};

/**
 * The stack's KMS keys. Each does one job, so a grant on one never implies another:
 * - `recordings`: symmetric, encrypts audio in every bucket (with S3 bucket keys).
 * - `data`: symmetric, encrypts tables and the notices topic (metadata, logs, registers).
 * - `signing`: ECC P-256 sign/verify, signs checkpoints of the Release of Recording Log.
 * - `callerHmac`: HMAC-256, pseudonymises caller numbers (same number -> same token, never reversible).
 * Each key's policy separates administration from use (keyPolicy above). All are retained when the
 * stack is deleted: losing a key loses the data it protects.
 */
export class Keys extends Construct {
  readonly recordings: Key;
  readonly data: Key;
  readonly signing: Key;
  readonly callerHmac: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.recordings = new Key(this, 'Recordings', {
      description: 'Call recordings: SSE-KMS for the inbox, archive and releases buckets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(this, 'symmetric'),
    });
    this.data = new Key(this, 'Data', {
      description: 'Call recording metadata: DynamoDB tables and the staff-notices topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(this, 'symmetric'),
    });
    // Asymmetric and HMAC keys cannot rotate automatically; a new key is a new verification anchor.
    this.signing = new Key(this, 'Signing', {
      description: 'Signs Release of Recording Log checkpoints (verifiable offline with the public key)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(this, 'sign'),
    });
    this.callerHmac = new Key(this, 'CallerHmac', {
      description: 'Pseudonymises caller numbers (GenerateMac), so the catalogue never holds them in clear',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: keyPolicy(this, 'mac'),
    });
  }
}
