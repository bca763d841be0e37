/**
 * The stack as `cdk synth` builds it: real esbuild bundles for every function, CDK's built-in
 * CloudFormation validation, and cdk-nag's AwsSolutions pack. Built once for the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { BUCKETS, bucketEnvVar } from '../../declarations/buckets.js';
import { ENV } from '../../declarations/environment.js';
import { DEPLOY_FUNCTIONS, FUNCTIONS as SERVING_FUNCTIONS } from '../../declarations/functions.js';
import { TABLES, tableEnvVar } from '../../declarations/tables.js';
import { type Built, buildStack, type Json, logicalIdOf } from './fixture.js';

let built: Built;

beforeAll(() => {
  built = buildStack({ asDeployed: true });
}, 300_000);

/** Every function, also those the deployment runs: each is built by the one function construct. */
const FUNCTIONS = [...SERVING_FUNCTIONS, ...DEPLOY_FUNCTIONS];

const functionResource = (id: (typeof FUNCTIONS)[number]['id']): Json =>
  built.json.Resources[logicalIdOf(built.stack, built.stack.functions.get(id))];

describe('functions', () => {
  it('uses the newest Node.js runtime aws-cdk-lib offers', () => {
    const newest = Object.keys(Runtime)
      .map((name) => /^NODEJS_(\d+)_X$/.exec(name)?.[1])
      .filter((v): v is string => v !== undefined)
      .map(Number)
      .sort((a, b) => b - a)[0];

    expect(newest).toBe(24);
    for (const fn of FUNCTIONS) expect(functionResource(fn.id).Properties.Runtime).toBe(`nodejs${newest}.x`);
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))(
    '%s: arm64, tracing, source maps, its declared size',
    (id, fn) => {
      const props = functionResource(id).Properties;

      expect(props).toMatchObject({
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: fn.memoryMb,
        Timeout: fn.timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
        Description: fn.description,
      });
      expect(props.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    },
  );

  it('gives every function its own log group with the configured retention', () => {
    for (const fn of FUNCTIONS) {
      const logs = logicalIdOf(built.stack, built.stack.functions.get(fn.id).logs);
      expect(functionResource(fn.id).Properties.LoggingConfig).toEqual({ LogGroup: { Ref: logs } });
      expect(built.json.Resources[logs]?.Properties?.RetentionInDays).toBe(90);
    }
  });

  it('tells every function the name of every table and bucket, and the recordings key ARN', () => {
    for (const fn of FUNCTIONS) {
      const env = functionResource(fn.id).Properties.Environment.Variables;
      for (const table of TABLES) expect(env[tableEnvVar(table.id)]).toEqual({ Ref: expect.any(String) });
      for (const bucket of BUCKETS) expect(env[bucketEnvVar(bucket)]).toEqual({ Ref: expect.any(String) });
      expect(env[ENV.kmsRecordingsKeyId]).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    }
  });

  it('runs the index backfills on deploy, after every table exists (and again whenever that code changes)', () => {
    // Arrange
    const { stack, json } = built;
    const migrations = logicalIdOf(stack, stack.functions.get('migrations'));
    const tables = TABLES.map((t) => logicalIdOf(stack, stack.tables.get(t.id).table));

    // Act
    const triggers = Object.entries(json.Resources).filter(([, r]) => r.Type === 'Custom::Trigger');

    // Assert
    expect(triggers).toHaveLength(1);
    const [, trigger] = triggers[0] as [string, Json];
    const version = trigger.Properties.HandlerArn.Ref as string;
    expect(json.Resources[version]).toMatchObject({
      Type: 'AWS::Lambda::Version',
      Properties: { FunctionName: { Ref: migrations } },
    });
    expect(trigger.Properties).toMatchObject({
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
      Timeout: String(900_000),
    });
    expect(trigger.DependsOn).toEqual(expect.arrayContaining(tables));
  });

  it('bundles each function as a minified CommonJS module with a source map', () => {
    for (const fn of FUNCTIONS) {
      // Arrange
      const key: string = functionResource(fn.id).Properties.Code.S3Key;
      const dir = path.join(built.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);

      // Act
      const code = readFileSync(path.join(dir, 'index.js'), 'utf8');

      // Assert
      expect(functionResource(fn.id).Properties.Handler).toBe('index.handler');
      expect(code.startsWith('"use strict";')).toBe(true);
      expect(code).toMatch(/module\.exports\s*=\s*\{[^}]*\bhandler\b[^}]*\}/);
      expect(existsSync(path.join(dir, 'index.js.map'))).toBe(true);
      // Minified: long lines, not indented source (readable source averages well under 80 characters).
      expect(code.length / code.split('\n').length).toBeGreaterThan(400);
    }
  });
});

describe('staff portal asset', () => {
  it('is built by synth (web/build.ts): index.html, the bundle and the stylesheet, with no config.json baked in', () => {
    // Arrange: the deployment's sources, the built portal first, config.json (deploy-time values) second.
    const [deployment] = Object.values(built.json.Resources).filter(
      (r) => r.Type === 'Custom::CDKBucketDeployment',
    );
    const [siteKey]: string[] = deployment?.Properties?.SourceObjectKeys ?? [];
    const dir = path.join(built.app.outdir, `asset.${String(siteKey).replace(/\.zip$/, '')}`);

    // Act
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    const js = readFileSync(path.join(dir, 'assets', 'app.js'), 'utf8');

    // Assert
    expect(html).toContain('src="/assets/app.js"');
    expect(js.length / js.split('\n').length).toBeGreaterThan(400);
    expect(existsSync(path.join(dir, 'assets', 'app.css'))).toBe(true);
    expect(existsSync(path.join(dir, 'config.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'src'))).toBe(false);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
    );

    expect(findings).toEqual([]);
  });

  it('acknowledges only named findings of reviewed rules, each with a reason', () => {
    // Arrange
    const acknowledged: { id: string; reason: string; path: string }[] = [];
    const visit = (c: IConstruct) => {
      for (const entry of c.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push({ id: id.replace(/^annotation::/i, ''), reason, path: c.node.path });
        }
      }
      for (const child of c.node.children) visit(child);
    };

    // Act
    visit(built.app);

    // Assert: a new kind of suppression must be reviewed and added here deliberately.
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const ack of acknowledged) {
      // The portal (infra/constructs/portal.ts) adds the CloudFront ones (geo, WAF, default certificate)
      // and its BucketDeployment handler's CDK-written actions and runtime; SQS3 only for AuditEventsDlq,
      // the audit stream mappings' on-failure destination (infra/README.md).
      expect(ack.id).toMatch(
        /^AwsSolutions-(IAM5\[(Resource|Action)::.+\]|IAM4\[Policy::.+\]|APIG4|CFR1|CFR2|CFR4|L1|SQS3)$/,
      );
      if (ack.id === 'AwsSolutions-SQS3') expect(ack.path).toMatch(/AuditEventsDlq$/);
      expect(ack.reason.length).toBeGreaterThan(80);
    }
  });

  it('fails synth on a finding nobody acknowledged', () => {
    // Arrange: a bucket that breaks AwsSolutions-S1/S10 (no access logs, plain HTTP allowed).
    const other = buildStack({ context: { 'aws:cdk:bundling-stacks': [] } });
    new Bucket(other.stack, 'CarelessBucket');

    // Act / Assert
    expect(() => other.app.synth({ force: true })).toThrow(/AwsSolutions-S10/);
  });
});
