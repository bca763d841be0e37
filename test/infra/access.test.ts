/**
 * Least privilege, read as an access table: what each function may do to recordings, keys and tables.
 * A change to a grant in infra/constructs/functions.ts fails here until this table is updated with it.
 */
import { isDeepStrictEqual } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { DEPLOY_FUNCTIONS, FUNCTIONS, type FunctionId } from '../../declarations/functions.js';
import { INDEX_BACKFILL_ATTRIBUTES } from '../../declarations/migrations.js';
import { TABLES } from '../../declarations/tables.js';
import { bindTable, OBJECT_LOCK_ACTIONS } from '../../infra/constructs/bind.js';
import { Keys } from '../../infra/constructs/keys.js';
import { RecordingFunction } from '../../infra/constructs/recording-function.js';
import { Tables } from '../../infra/constructs/tables.js';
import {
  allIdentityStatements,
  type Built,
  buildStack,
  grants,
  list,
  logicalIdOf,
  statementsOfFunction,
  statementsOfRole,
} from './fixture.js';

let built: Built;
let names: Map<string, string>;

beforeAll(() => {
  built = buildStack();
  const { stack } = built;
  // Logical id -> readable name, so expectations below read `archive`, not `BucketsArchiveCE3432CC`.
  names = new Map<string, string>([
    [logicalIdOf(stack, stack.buckets.inbox), 'inbox'],
    [logicalIdOf(stack, stack.buckets.archive), 'archive'],
    [logicalIdOf(stack, stack.buckets.releases), 'releases'],
    [logicalIdOf(stack, stack.keys.recordings), 'recordingsKey'],
    [logicalIdOf(stack, stack.keys.data), 'dataKey'],
    [logicalIdOf(stack, stack.keys.signing), 'signingKey'],
    [logicalIdOf(stack, stack.keys.callerHmac), 'callerHmacKey'],
    ...TABLES.map((t) => [logicalIdOf(stack, stack.tables.get(t.id).table), t.id] as [string, string]),
  ]);
});
/**
 * The portal's BucketDeployment handler (a CDK custom resource run at deploy) holds CDK's read-write grant
 * on the portal bucket, whose actions include legal hold and retention: it is checked on its own below
 * (portal bucket, CDK assets and CloudFront invalidations only), and left out of the recording rules.
 */
const portalDeployer = (): string => {
  const role = built.stack.portal.deployment?.handlerRole;
  if (!role) throw new Error('no portal deployment');
  return logicalIdOf(built.stack, role);
};
const dataStatements = () => allIdentityStatements(built.json, [portalDeployer()]);

/** `<BucketsArchiveCE3432CC.Arn>/incoming/*` -> `archive/incoming/*`; unknown ids stay as they are. */
const readable = (resource: string): string =>
  resource.replace(/<([A-Za-z0-9]+)\.Arn>/g, (whole, id: string) => names.get(id) ?? whole);

/** `{ archive: ['s3:GetObject', ...] }` for one function and one service prefix. */
const accessOf = (fn: FunctionId, service: string): Record<string, string[]> => {
  const table: Record<string, Set<string>> = {};
  for (const g of grants(statementsOfFunction(built, fn))) {
    if (!g.action.startsWith(`${service}:`)) continue;
    const target = readable(g.resource).split('/')[0] ?? g.resource;
    table[target] ??= new Set();
    table[target].add(g.action);
  }
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, [...v].sort()]));
};

describe('S3: who may touch recordings, and how', () => {
  const expected: Record<FunctionId, Record<string, string[]>> = {
    ingestApi: { inbox: ['s3:PutObject'] },
    ingestWorker: {
      inbox: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject'],
      archive: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:PutObject',
        's3:PutObjectRetention',
        's3:PutObjectTagging',
      ],
    },
    // Issue 11 item 13: deletes name a version (DeleteObjectVersion); no s3:DeleteObject on the archive,
    // which would let a version-less delete hide a recording behind a delete marker.
    playback: {
      archive: ['s3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
    },
    release: {
      archive: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject'],
      releases: ['s3:DeleteObject', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject'],
    },
    legalHold: {
      archive: [...OBJECT_LOCK_ACTIONS, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'].sort(),
    },
    legalHoldWorker: {
      archive: [...OBJECT_LOCK_ACTIONS, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'].sort(),
    },
    registers: {},
    reports: {},
    sweepers: {
      archive: [
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:PutObject',
      ],
      releases: ['s3:DeleteObject'],
    },
    lifecycleEvents: {},
    // Subject access packages: the disclosed recordings read from the archive, the package written to
    // the releases bucket (its lifecycle rule expires it); no delete anywhere.
    disclosures: {
      archive: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
      releases: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject'],
    },
    auditEvents: {},
  };

  it.each(FUNCTIONS.map((f) => f.id))('%s has exactly its S3 grants', (fn) => {
    expect(accessOf(fn, 's3')).toEqual(expected[fn]);
  });

  it.each(['release', 'sweepers'] as const)(
    'lets %s write to the archive only under checkpoints/ (anchored signed checkpoints)',
    (fn) => {
      const puts = grants(statementsOfFunction(built, fn))
        .filter((g) => g.action === 's3:PutObject')
        .map((g) => readable(g.resource))
        .filter((r) => r.startsWith('archive'));

      expect(puts).toEqual(['archive/checkpoints/*']);
    },
  );

  it('limits the ingest API to presigning uploads under incoming/', () => {
    const resources = grants(statementsOfFunction(built, 'ingestApi'))
      .filter((g) => g.action.startsWith('s3:'))
      .map((g) => readable(g.resource));

    expect(resources).toEqual(['inbox/incoming/*']);
  });

  it('gives legal-hold and retention powers to the legal-hold functions only', () => {
    // Arrange
    const lockActions = new Set<string>(OBJECT_LOCK_ACTIONS);
    const holders = new Set<string>();

    // Act
    for (const fn of FUNCTIONS) {
      for (const g of grants(statementsOfFunction(built, fn.id))) {
        if (lockActions.has(g.action) && g.condition === undefined) holders.add(fn.id);
      }
    }

    // Assert
    expect([...holders].sort()).toEqual(['legalHold', 'legalHoldWorker']);
  });

  it('lets no role but the legal-hold functions turn a legal hold on or off', () => {
    const holders = Object.entries(built.json.Resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) =>
        list(r.Properties?.PolicyDocument?.Statement).some((s) =>
          list(s.Action).includes('s3:PutObjectLegalHold'),
        ),
      )
      .flatMap(([, r]) => list(r.Properties?.Roles).map((ref) => ref.Ref as string))
      .filter((role) => role !== portalDeployer());
    const legalHoldRoles = (['legalHold', 'legalHoldWorker'] as const).map((id) => {
      const role = built.stack.functions.get(id).role;
      if (!role) throw new Error('no role');
      return logicalIdOf(built.stack, role);
    });

    expect(holders.sort()).toEqual(legalHoldRoles.sort());
  });

  it('lets the ingest worker set only the first GOVERNANCE lock, at most 366 days ahead, and only the standard tag', () => {
    const conditioned = grants(statementsOfFunction(built, 'ingestWorker')).filter((g) =>
      ['s3:PutObjectRetention', 's3:PutObjectTagging'].includes(g.action),
    );

    expect(conditioned.map((g) => ({ action: g.action, condition: g.condition }))).toEqual([
      {
        action: 's3:PutObjectRetention',
        condition: {
          StringEquals: { 's3:object-lock-mode': 'GOVERNANCE' },
          NumericLessThanEquals: { 's3:object-lock-remaining-retention-days': '366' },
        },
      },
      {
        action: 's3:PutObjectTagging',
        condition: {
          StringEquals: { 's3:RequestObjectTag/retention': 'standard' },
          'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['retention'] },
        },
      },
    ]);
  });

  it('never allows COMPLIANCE mode, so the break-glass purge stays possible', () => {
    const retention = dataStatements().filter(
      (s) => s.Effect === 'Allow' && list(s.Action).includes('s3:PutObjectRetention'),
    );

    expect(retention.length).toBeGreaterThan(0);
    for (const s of retention) expect(s.Condition?.StringEquals?.['s3:object-lock-mode']).toBe('GOVERNANCE');
  });

  it('grants s3:BypassGovernanceRetention to the MFA-only break-glass role and nothing else', () => {
    // Arrange
    const breakGlass = logicalIdOf(built.stack, built.stack.breakGlass.role);
    const bypassRoles = Object.values(built.json.Resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) =>
        list(r.Properties?.PolicyDocument?.Statement).some((s) =>
          list(s.Action).some((a: string) => a === 's3:BypassGovernanceRetention' || a === 's3:*'),
        ),
      )
      .flatMap((r) => list(r.Properties?.Roles).map((ref) => ref.Ref as string));

    // Assert
    expect(bypassRoles).toEqual([breakGlass]);
    const trust = built.json.Resources[breakGlass]?.Properties?.AssumeRolePolicyDocument.Statement;
    expect(trust).toEqual([
      expect.objectContaining({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    ]);
    expect(built.json.Resources[breakGlass]?.Properties?.MaxSessionDuration).toBe(3600);
  });
});

describe('KMS: who may use which key', () => {
  const keyUsers = (key: string, action: string): FunctionId[] =>
    FUNCTIONS.map((f) => f.id).filter((fn) =>
      grants(statementsOfFunction(built, fn)).some(
        (g) => g.action === action && readable(g.resource) === key,
      ),
    );

  it('lets only the functions that handle audio, and the checkpoint job reading its anchors, decrypt recordings', () => {
    // sweepers read back the signed checkpoints anchored in the archive (SSE-KMS with this key) before signing
    // the next; their S3 reach into the archive is checkpoints/ only (see the archive-prefix test above).
    expect(keyUsers('recordingsKey', 'kms:Decrypt')).toEqual([
      'ingestWorker',
      'playback',
      'release',
      'sweepers',
      'disclosures',
    ]);
  });

  it('lets only the release log writers sign (checkpoints, and disclosure packages)', () => {
    expect(keyUsers('signingKey', 'kms:Sign')).toEqual(['release', 'sweepers', 'disclosures']);
  });

  it('lets only ingest, search and the subject access search pseudonymise caller numbers', () => {
    expect(keyUsers('callerHmacKey', 'kms:GenerateMac')).toEqual(['ingestApi', 'playback', 'disclosures']);
  });

  it('limits the encryption keys to use through S3, DynamoDB or SNS', () => {
    for (const fn of FUNCTIONS) {
      for (const g of grants(statementsOfFunction(built, fn.id))) {
        if (!['recordingsKey', 'dataKey'].includes(readable(g.resource))) continue;
        expect(g.condition?.StringEquals?.['kms:ViaService']).toBeDefined();
      }
    }
  });
});

describe('DynamoDB', () => {
  it('grants Scan to the deploy-time migrations alone, on the registers table alone', () => {
    // Arrange: every read path of a request, schedule or event uses a key or an index.
    const scans = dataStatements().filter((s) =>
      list(s.Action).some((a) => a === 'dynamodb:Scan' || a.startsWith('dynamodb:*')),
    );

    // Act
    const migrationsScans = grants(statementsOfFunction(built, 'migrations'))
      .filter((g) => g.action === 'dynamodb:Scan')
      .map((g) => readable(g.resource));

    // Assert
    expect(scans).toHaveLength(1);
    expect(migrationsScans).toEqual(['registers']);
  });

  it('never lets a function update or delete entries of an append-only log, but set index keys on deploy', () => {
    // Arrange
    const appendOnly = TABLES.filter((t) => t.appendOnly).map((t) => t.id as string);
    const rewriting = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    const onlyIndexKeys = {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...INDEX_BACKFILL_ATTRIBUTES.auditLog] },
    };

    // Act
    const offending = [...FUNCTIONS, ...DEPLOY_FUNCTIONS].flatMap((fn) =>
      grants(statementsOfFunction(built, fn.id))
        .filter((g) => rewriting.includes(g.action))
        .filter((g) => appendOnly.includes(readable(g.resource).split('/')[0] ?? ''))
        .filter(
          (g) =>
            !(
              fn.id === 'migrations' &&
              g.action === 'dynamodb:UpdateItem' &&
              isDeepStrictEqual(g.condition, onlyIndexKeys)
            ),
        )
        .map((g) => `${fn.id} ${g.action} ${readable(g.resource)}`),
    );

    // Assert
    expect(appendOnly).toEqual(['releaseLog', 'auditLog']);
    expect(INDEX_BACKFILL_ATTRIBUTES.auditLog).toEqual(['chain', 'seq', 'gsi3pk', 'gsi3sk']);
    expect(offending).toEqual([]);
  });

  it('lets the deploy-time migrations touch only what the index backfills need', () => {
    // Arrange
    const attributes = (names: readonly string[]) => ({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...names] },
    });

    // Act
    const table = grants(statementsOfFunction(built, 'migrations'))
      .filter((g) => g.action.startsWith('dynamodb:'))
      .map((g) => ({ action: g.action, on: readable(g.resource), condition: g.condition }));

    // Assert: no index, no delete, no other table; updates limited to the index keys, puts to the marker.
    expect(table).toEqual(
      expect.arrayContaining([
        { action: 'dynamodb:Query', on: 'auditLog', condition: undefined },
        {
          action: 'dynamodb:UpdateItem',
          on: 'auditLog',
          condition: attributes(['chain', 'seq', 'gsi3pk', 'gsi3sk']),
        },
        { action: 'dynamodb:Scan', on: 'registers', condition: undefined },
        { action: 'dynamodb:GetItem', on: 'registers', condition: undefined },
        {
          action: 'dynamodb:UpdateItem',
          on: 'registers',
          condition: attributes(['pk', 'sk', 'gsi1pk', 'gsi1sk']),
        },
        {
          action: 'dynamodb:PutItem',
          on: 'registers',
          condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['MIGRATION#service-area-list'] },
          },
        },
      ]),
    );
    expect(table).toHaveLength(6);
    expect(
      grants(statementsOfFunction(built, 'migrations')).filter((g) => /^(s3|sqs|sns|events):/.test(g.action)),
    ).toEqual([]);
  });

  it('keeps the reports function read-only, apart from auditing its own reads', () => {
    const writes = grants(statementsOfFunction(built, 'reports'))
      .filter((g) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(g.action))
      .map((g) => `${g.action} ${readable(g.resource).split('/')[0]}`);

    expect([...new Set(writes)]).toEqual(['dynamodb:PutItem auditLog']);
  });

  it('lets only the functions that record accesses to recordings write the audit log', () => {
    const writers = FUNCTIONS.map((f) => f.id).filter((fn) =>
      grants(statementsOfFunction(built, fn)).some(
        (g) => g.action === 'dynamodb:PutItem' && readable(g.resource) === 'auditLog',
      ),
    );

    expect(writers).toEqual(['playback', 'release', 'reports', 'sweepers', 'disclosures']);
  });

  it('lets only IG advice records write IG advice; release and playback only read it', () => {
    const touching = (kind: RegExp) =>
      FUNCTIONS.map((f) => f.id).filter((fn) =>
        grants(statementsOfFunction(built, fn)).some(
          (g) => kind.test(g.action) && readable(g.resource).split('/')[0] === 'disclosures',
        ),
      );

    expect(touching(/^dynamodb:(PutItem|UpdateItem|DeleteItem)$/)).toEqual(['disclosures']);
    expect(touching(/^dynamodb:GetItem$/)).toEqual(['playback', 'release', 'sweepers', 'disclosures']);
  });

  it('refuses to bind an append-only table for writing', () => {
    // Arrange: bundling is irrelevant to this check, so the function is not bundled.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'BindCheck');
    const keys = new Keys(stack, 'Keys');
    const tables = new Tables(stack, 'Tables', { dataKey: keys.data });
    const declaration = FUNCTIONS[0];
    if (!declaration) throw new Error('no function declared');
    const fn = new RecordingFunction(stack, 'Fn', { declaration, logRetention: 7, environment: {} });

    // Act / Assert
    expect(() => bindTable(fn, tables.get('auditLog'), 'write')).toThrow(/auditLog is append-only/);
    expect(() => bindTable(fn, tables.get('auditLog'), 'append')).not.toThrow();
  });
});

describe('no wildcard on data', () => {
  it('has no `*` resource on any S3, DynamoDB or KMS action in any identity policy', () => {
    const offending = dataStatements()
      .filter((s) => s.Effect === 'Allow')
      .filter((s) => list(s.Resource).includes('*'))
      .flatMap((s) => list(s.Action))
      .filter((a) => /^(s3|dynamodb|kms):/.test(a));

    expect(offending).toEqual([]);
  });

  it('names every S3, DynamoDB, KMS, SQS and SNS action: no action wildcards', () => {
    const wildcards = dataStatements()
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => list(s.Action))
      .filter((a) => /^(s3|dynamodb|kms|sqs|sns):/.test(a) && a.includes('*'));

    expect(wildcards).toEqual([]);
  });

  it("lets the portal's deployment handler touch only the portal bucket, CDK's assets and CloudFront invalidations", () => {
    const bucket = logicalIdOf(built.stack, built.stack.portal.bucket);
    const rows = grants(statementsOfRole(built.json, portalDeployer()));
    const resources = new Set(rows.map((g) => g.resource));

    for (const g of rows.filter((g) => g.action.startsWith('s3:'))) {
      expect(g.resource).toMatch(
        new RegExp(`^(<${bucket}\\.Arn>(/\\*)?|arn:.*:s3:::.*cdk-[a-z0-9]+-assets-.*)$`),
      );
    }
    expect(
      rows
        .filter((g) => g.resource === '*')
        .map((g) => g.action)
        .sort(),
    ).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
    expect(resources.has(`<${bucket}.Arn>/*`)).toBe(true);
  });

  it('uses Resource * only for X-Ray, which has no resource-level permissions', () => {
    const starActions = new Set(
      dataStatements()
        .filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'))
        .flatMap((s) => list(s.Action)),
    );

    expect([...starActions].sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('gives each function write access to its own log group only', () => {
    for (const fn of FUNCTIONS) {
      const logGrants = grants(statementsOfFunction(built, fn.id)).filter((g) =>
        g.action.startsWith('logs:'),
      );
      const own = logicalIdOf(built.stack, built.stack.functions.get(fn.id).logs);
      expect(new Set(logGrants.map((g) => g.resource))).toEqual(new Set([`<${own}.Arn>`]));
    }
  });
});

it('attaches no policy to a function role that the role list does not explain', () => {
  // Every function role's statements come from bind helpers, its log group, tracing, event sources and
  // the audit bus (events:PutEvents, test/infra/audit-events.test.ts).
  for (const fn of FUNCTIONS) {
    const role = built.stack.functions.get(fn.id).role;
    if (!role) throw new Error('no role');
    const services = new Set(
      statementsOfRole(built.json, logicalIdOf(built.stack, role)).flatMap((s) =>
        list(s.Action).map((a: string) => a.split(':')[0]),
      ),
    );
    for (const service of services)
      expect(['s3', 'dynamodb', 'kms', 'sqs', 'sns', 'events', 'logs', 'xray']).toContain(service);
  }
});
