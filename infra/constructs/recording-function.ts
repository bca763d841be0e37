import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { DeployFunctionId, FunctionDeclaration, FunctionId } from '../../declarations/functions.js';
import { acknowledge } from './nag.js';

/** The repository root: entries in declarations/functions.ts are relative to it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Newest Node.js runtime aws-cdk-lib 2.276 offers. */
export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * music-metadata loads one parser per container with a dynamic import, and esbuild would inline all
 * thirteen. The upload gate accepts only wav, mp3, ogg, flac and m4a, so the parsers of other containers
 * are left out of the bundle: audio in those formats fails to parse and is quarantined as not the
 * declared format, which is what the gate wants anyway. Keeps ingestWorker under the 250 KB target.
 */
export const UNSUPPORTED_AUDIO_PARSERS = [
  './AiffParser.js',
  './AsfParser.js',
  './DsdiffParser.js',
  './DsfParser.js',
  './MatroskaParser.js',
  './MusepackParser.js',
  './WavPackParser.js',
];

/**
 * esbuild options shared with bench/bundles.ts, so the benchmark measures what is deployed.
 * CommonJS output (`index.js`): the Lambda runtime `require`s it, and the `@aws-sdk/*` packages it loads
 * (CommonJS themselves) then go through Node's CommonJS loader. Imported from an ES module instead, each
 * of them also passes through the ES module loader (format detection, the CommonJS export lexer), which
 * measured about 1.8 × the CPU of a `require` for the same packages (README "Performance", cold start).
 * No function uses top-level await or `import.meta`; esbuild turns ESM-only dependencies (middy, zod,
 * music-metadata) into CommonJS in the bundle.
 * `@aws-sdk/*` stays external, as NodejsFunction does by default on Node 18+: the runtime provides it.
 */
export const BUNDLING = {
  format: OutputFormat.CJS,
  minify: true,
  // Domain errors are named by their class (`RequestValidationError`...) in every error reply.
  keepNames: true,
  sourceMap: true,
  sourceMapMode: SourceMapMode.DEFAULT,
  sourcesContent: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  externalModules: ['@aws-sdk/*', ...UNSUPPORTED_AUDIO_PARSERS],
  // Sizes are reported by `npm run bench:bundles`; synth output stays readable.
  logLevel: LogLevel.WARNING,
} as const;

export interface RecordingFunctionProps {
  readonly declaration: FunctionDeclaration<FunctionId | DeployFunctionId>;
  readonly logRetention: RetentionDays;
  /** Non-secret configuration every function may read (retention months, link lifetimes...). */
  readonly environment: Readonly<Record<string, string>>;
  /** Where failed asynchronous invocations go (scheduled and EventBridge-invoked functions). */
  readonly deadLetterQueue?: IQueue;
}

/**
 * The one function construct: arm64, newest Node.js runtime, CommonJS bundle with source maps, X-Ray
 * tracing, its own log group with retention, and its own role that starts with nothing but
 * permission to write to that log group. Grants are added by the bind helpers in bind.ts.
 */
export class RecordingFunction extends NodejsFunction {
  readonly functionId: FunctionId | DeployFunctionId;
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: RecordingFunctionProps) {
    const { declaration } = props;
    // Created beside the function (not inside it: `this` does not exist before super()).
    const logs = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole, whose logs:* grant covers every log group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${declaration.id} function`,
    });
    super(scope, id, {
      entry: path.join(REPO_ROOT, declaration.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      description: declaration.description,
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: declaration.memoryMb,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: logs,
      role,
      deadLetterQueue: props.deadLetterQueue,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        ...BUNDLING,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.externalModules],
      },
    });
    logs.grantWrite(role);
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing: ACTIVE) use Resource *: ' +
        'X-Ray offers no resource-level permissions for them. No S3, DynamoDB or KMS action has Resource * ' +
        '(asserted by test/infra).',
    );
    this.functionId = declaration.id;
    this.logs = logs;
  }
}
