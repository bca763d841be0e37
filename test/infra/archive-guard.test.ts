/**
 * Issue 11 items 5 and 6: the archive's writes and deletes are on a CloudTrail trail that logs into a
 * locked, versioned, KMS-encrypted bucket; only the break-glass role may bypass GOVERNANCE retention;
 * COMPLIANCE mode is a cdk.json choice; KMS key policies separate administration from use.
 */
import { KEY_ADMIN_ACTIONS } from '../../infra/constructs/keys.js';
import { type Built, buildStack, type Json, list, logicalIdOf } from './fixture.js';

let built: Built;

beforeAll(() => {
  built = buildStack();
});

const resourcesOf = (json: Built['json'], type: string): [string, Json][] =>
  Object.entries(json.Resources).filter(([, r]) => r.Type === type);

const bucketPolicyOf = (b: Built, bucketLogicalId: string): Json[] => {
  const [[, policy] = []] = resourcesOf(b.json, 'AWS::S3::BucketPolicy').filter(
    ([, p]) => p.Properties?.Bucket?.Ref === bucketLogicalId,
  );
  return list(policy?.Properties?.PolicyDocument?.Statement);
};

describe('CloudTrail for the archive (item 5)', () => {
  it('records every write and delete on the archive as S3 data events', () => {
    const archive = logicalIdOf(built.stack, built.stack.buckets.archive);
    const [[, trail] = []] = resourcesOf(built.json, 'AWS::CloudTrail::Trail');

    expect(trail.Properties).toMatchObject({ IsLogging: true, EnableLogFileValidation: true });
    const selectors = list<Json>(trail.Properties.EventSelectors);
    const archiveSelector = selectors.find((s) =>
      JSON.stringify(s.DataResources ?? []).includes(`"Fn::GetAtt":["${archive}","Arn"]`),
    );
    expect(archiveSelector).toMatchObject({
      ReadWriteType: 'WriteOnly',
      IncludeManagementEvents: true,
      DataResources: [{ Type: 'AWS::S3::Object' }],
    });
  });

  it('logs into a versioned, Object Lock, KMS-encrypted bucket of its own', () => {
    const { stack } = built;
    const logs = built.json.Resources[logicalIdOf(stack, stack.auditTrail.bucket)];
    const [[, trail] = []] = resourcesOf(built.json, 'AWS::CloudTrail::Trail');

    expect(trail.Properties.S3BucketName).toEqual({ Ref: logicalIdOf(stack, stack.auditTrail.bucket) });
    expect(trail.Properties.KMSKeyId).toEqual({
      'Fn::GetAtt': [logicalIdOf(stack, stack.auditTrail.key), 'Arn'],
    });
    expect(logs?.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE' } },
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' }, BucketKeyEnabled: true },
        ],
      },
    });
    expect(logs?.DeletionPolicy).toBe('Retain');
  });
});

describe('governance bypass and lock mode (item 6)', () => {
  it('denies s3:BypassGovernanceRetention on the archive to every principal but the break-glass role', () => {
    const { stack } = built;
    const statements = bucketPolicyOf(built, logicalIdOf(stack, stack.buckets.archive));
    const deny = statements.find(
      (s) => s.Effect === 'Deny' && list(s.Action).includes('s3:BypassGovernanceRetention'),
    );

    expect(deny).toMatchObject({
      Principal: { AWS: '*' },
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': { 'Fn::GetAtt': [logicalIdOf(stack, stack.breakGlass.role), 'Arn'] },
        },
      },
    });
  });

  it('locks the archive in GOVERNANCE mode by default', () => {
    const archive = built.json.Resources[logicalIdOf(built.stack, built.stack.buckets.archive)];
    expect(archive?.Properties?.ObjectLockConfiguration?.Rule?.DefaultRetention?.Mode).toBe('GOVERNANCE');
  });

  it("offers COMPLIANCE mode from cdk.json: archive, trail logs and the functions' lock conditions follow", () => {
    const compliance = buildStack({ context: { archiveLockMode: 'COMPLIANCE' } });
    const { stack, json } = compliance;
    const modeOf = (id: string) =>
      json.Resources[id]?.Properties?.ObjectLockConfiguration?.Rule?.DefaultRetention?.Mode;

    expect(modeOf(logicalIdOf(stack, stack.buckets.archive))).toBe('COMPLIANCE');
    expect(modeOf(logicalIdOf(stack, stack.auditTrail.bucket))).toBe('COMPLIANCE');
    const lockConditions = resourcesOf(json, 'AWS::IAM::Policy')
      .flatMap(([, p]) => list<Json>(p.Properties?.PolicyDocument?.Statement))
      .map((s) => s.Condition?.StringEquals?.['s3:object-lock-mode'])
      .filter((m) => m !== undefined);
    expect(lockConditions.length).toBeGreaterThan(0);
    expect(new Set(lockConditions)).toEqual(new Set(['COMPLIANCE']));
    const ingestEnv =
      json.Resources[logicalIdOf(stack, stack.functions.get('ingestWorker'))]?.Properties?.Environment
        ?.Variables;
    expect(ingestEnv?.ARCHIVE_LOCK_MODE).toBe('COMPLIANCE');
  });
});

describe('KMS key policies separate administration from use (item 6)', () => {
  const USE_ACTIONS = [
    'kms:Decrypt',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:Sign',
    'kms:GenerateMac',
    'kms:CreateGrant',
  ];

  const keys = () => {
    const k = built.stack.keys;
    return {
      recordings: k.recordings,
      data: k.data,
      signing: k.signing,
      callerHmac: k.callerHmac,
      trail: built.stack.auditTrail.key,
    };
  };

  it.each(['recordings', 'data', 'signing', 'callerHmac', 'trail'] as const)(
    '%s: no kms:*, admin and use apart',
    (name) => {
      const key = keys()[name];
      const statements = list<Json>(
        built.json.Resources[logicalIdOf(built.stack, key)]?.Properties?.KeyPolicy?.Statement,
      );
      const actionsOf = (s: Json) => list<string>(s.Action);

      expect(statements.flatMap(actionsOf)).not.toContain('kms:*');
      const admin = statements.find((s) => s.Sid === 'KeyAdministration');
      expect(actionsOf(admin).sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
      for (const s of statements) {
        const actions = actionsOf(s);
        const administers = actions.some((a) => a === 'kms:PutKeyPolicy' || a === 'kms:ScheduleKeyDeletion');
        const uses = actions.some((a) => USE_ACTIONS.includes(a));
        expect([s.Sid, administers && uses]).toEqual([s.Sid, false]);
      }
    },
  );

  it('lets the account use the symmetric keys only through S3, DynamoDB, SNS or SQS', () => {
    for (const key of [built.stack.keys.recordings, built.stack.keys.data]) {
      const statements = list<Json>(
        built.json.Resources[logicalIdOf(built.stack, key)]?.Properties?.KeyPolicy?.Statement,
      );
      const use = statements.find((s) => s.Sid === 'KeyUseThroughServices');
      expect(JSON.stringify(use.Condition.StringEquals['kms:ViaService'])).toMatch(
        /s3\..*dynamodb\..*sns\..*sqs\./,
      );
    }
  });

  it("lets only the stack's roles sign and compute caller-number MACs", () => {
    for (const key of [built.stack.keys.signing, built.stack.keys.callerHmac]) {
      const statements = list<Json>(
        built.json.Resources[logicalIdOf(built.stack, key)]?.Properties?.KeyPolicy?.Statement,
      );
      const use = statements.find((s) => s.Sid === 'KeyUseByStackRoles');
      expect(JSON.stringify(use.Condition.ArnLike['aws:PrincipalArn'])).toContain(':role/CallRecording-*');
    }
  });
});
