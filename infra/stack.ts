import { type App, CfnOutput, Duration, Lazy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Trigger } from 'aws-cdk-lib/triggers';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { ENV } from '../declarations/environment.js';
import {
  DEPLOY_FUNCTIONS,
  type DeployFunctionId,
  FUNCTIONS,
  type FunctionId,
} from '../declarations/functions.js';
import { PORTAL_SCOPE } from '../declarations/portal.js';
import { type Config, issuerOf, maxDaysIn, readConfig } from './config.js';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { AuditEvents } from './constructs/audit-events.js';
import { AuditTrail } from './constructs/audit-trail.js';
import { Auth } from './constructs/auth.js';
import { BreakGlass } from './constructs/break-glass.js';
import { Buckets } from './constructs/buckets.js';
import { Dashboard } from './constructs/dashboard.js';
import { Events } from './constructs/events.js';
import { Functions } from './constructs/functions.js';
import { Keys } from './constructs/keys.js';
import { Messaging } from './constructs/messaging.js';
import { Portal, presignedOrigin } from './constructs/portal.js';
import { Tables } from './constructs/tables.js';

/**
 * Days after a recording's 24-month point before the lifecycle backstop expires it: the daily sweeper
 * deletes it first (with hold checks and a deletion certificate); the backstop only acts if the
 * sweeper has not run for a week.
 */
export const BACKSTOP_MARGIN_DAYS = 7;

export interface CallRecordingStackProps extends StackProps {
  readonly config: Config;
}

/** Retention and expiry figures derived from the config, in the units S3 counts (days). */
export const retentionDays = (config: Config) => ({
  minRetentionDays: maxDaysIn(config.retentionMinMonths),
  standardExpiryDays: maxDaysIn(config.retentionMaxMonths) + BACKSTOP_MARGIN_DAYS,
  releaseCopyExpiryDays: config.releaseCopyTtlDays + 1,
});

const functionTimeout = (id: FunctionId | DeployFunctionId): Duration => {
  const declaration = [...FUNCTIONS, ...DEPLOY_FUNCTIONS].find((f) => f.id === id);
  if (!declaration) throw new Error(`function ${id} is not declared`);
  return Duration.seconds(declaration.timeoutSeconds);
};

export class CallRecordingStack extends Stack {
  readonly keys: Keys;
  readonly buckets: Buckets;
  readonly tables: Tables;
  readonly messaging: Messaging;
  readonly functions: Functions;
  readonly migrations: Trigger;
  readonly auth: Auth;
  readonly api: Api;
  readonly alarms: Alarms;
  readonly auditEvents: AuditEvents;
  readonly breakGlass: BreakGlass;
  readonly auditTrail: AuditTrail;
  readonly portal: Portal;

  constructor(scope: Construct, id: string, props: CallRecordingStackProps) {
    super(scope, id, props);
    const { config } = props;
    const days = retentionDays(config);

    this.keys = new Keys(this, 'Keys');
    this.buckets = new Buckets(this, 'Buckets', {
      recordingsKey: this.keys.recordings,
      minRetentionDays: days.minRetentionDays,
      standardExpiryDays: days.standardExpiryDays,
      releaseCopyExpiryDays: days.releaseCopyExpiryDays,
      accessLogExpiryDays: days.standardExpiryDays,
      archiveLockMode: config.archiveLockMode,
    });
    this.tables = new Tables(this, 'Tables', { dataKey: this.keys.data });
    this.messaging = new Messaging(this, 'Messaging', {
      dataKey: this.keys.data,
      ingestWorkerTimeout: functionTimeout('ingestWorker'),
      holdWorkerTimeout: functionTimeout('legalHoldWorker'),
    });
    this.functions = new Functions(this, 'Functions', {
      keys: this.keys,
      buckets: this.buckets,
      tables: this.tables,
      messaging: this.messaging,
      logRetention: config.logRetentionDays,
      minRetentionDays: days.minRetentionDays,
      archiveLockMode: config.archiveLockMode,
      environment: {
        [ENV.archiveLockMode]: config.archiveLockMode,
        [ENV.retentionMinMonths]: String(config.retentionMinMonths),
        [ENV.retentionMaxMonths]: String(config.retentionMaxMonths),
        [ENV.playbackLinkTtlSeconds]: String(config.playbackLinkTtlSeconds),
        [ENV.uploadLinkTtlSeconds]: String(config.uploadLinkTtlSeconds),
        [ENV.releaseCopyTtlDays]: String(config.releaseCopyTtlDays),
        [ENV.releaseRequestTtlDays]: String(config.releaseRequestTtlDays),
        [ENV.staffIdClaim]: config.staffIdClaim,
        ...(config.claimMapping ? { [ENV.claimMapping]: JSON.stringify(config.claimMapping) } : {}),
      },
    });
    // Data migrations on deploy, once the tables (and any index added to them) exist: the index backfills
    // run whenever the migrations function changes — on the first deploy of an upgrade, that is.
    this.migrations = new Trigger(this, 'Migrations', {
      handler: this.functions.get('migrations'),
      executeAfter: [this.tables],
      timeout: functionTimeout('migrations'),
    });
    new Events(this, 'Events', {
      buckets: this.buckets,
      messaging: this.messaging,
      functions: this.functions,
    });
    const issuer = issuerOf(config);
    this.auth = new Auth(this, 'Auth', {
      issuer,
      cognitoDomainPrefix: config.cognitoDomainPrefix,
      // The portal's distribution is built below, once the API it names in its CSP exists.
      portalUrl: Lazy.string({ produce: () => this.portal.url }),
    });
    this.api = new Api(this, 'Api', {
      functions: this.functions,
      authorizer: this.auth.authorizer,
      requireScopes: issuer.kind === 'cognito',
      logRetention: config.logRetentionDays,
      throttle: { rateLimit: config.apiThrottleRatePerSecond, burstLimit: config.apiThrottleBurst },
      cors: true,
    });
    this.portal = new Portal(this, 'Portal', {
      csp: {
        connect: [this.api.httpApi.apiEndpoint, ...this.auth.browserOrigins],
        media: [presignedOrigin(this.buckets.archive)],
      },
      accessLogs: this.buckets.accessLogs,
      logExpiryDays: config.logRetentionDays,
    });
    const portalClientId =
      issuer.kind === 'oidc' ? issuer.portal.clientId : this.auth.portalClient?.userPoolClientId;
    if (!portalClientId) throw new Error('the portal has no OpenID Connect client');
    this.portal.deploy({
      apiUrl: this.api.httpApi.apiEndpoint,
      mediaOrigin: presignedOrigin(this.buckets.archive),
      oidc: {
        authority: this.auth.issuerUrl,
        clientId: portalClientId,
        scope: issuer.kind === 'oidc' ? (issuer.portal.scope ?? 'openid profile') : PORTAL_SCOPE,
      },
    });
    this.alarms = new Alarms(this, 'Alarms', {
      functions: this.functions.all(),
      deadLetterQueues: this.messaging.deadLetterQueues,
      dataKey: this.keys.data,
    });
    this.auditEvents = new AuditEvents(this, 'AuditEvents', {
      fn: this.functions.get('auditEvents'),
      tables: [this.tables.get('auditLog'), this.tables.get('releaseLog')],
      deadLetterQueue: this.messaging.auditEventsDlq,
      alarmTopic: this.alarms.topic,
    });
    this.breakGlass = new BreakGlass(this, 'BreakGlass', { archive: this.buckets.archive });
    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      archive: this.buckets.archive,
      accessLogs: this.buckets.accessLogs,
      lockDays: days.minRetentionDays,
      lockMode: config.archiveLockMode,
    });
    new Dashboard(this, 'Dashboard', { deadLetterQueues: this.messaging.deadLetterQueues });

    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    new CfnOutput(this, 'PortalUrl', { value: this.portal.url });
    new CfnOutput(this, 'AuditEventBusArn', { value: this.auditEvents.bus.eventBusArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'StaffNoticesTopicArn', { value: this.messaging.staffNotices.topicArn });
    new CfnOutput(this, 'InboxBucket', { value: this.buckets.inbox.bucketName });
    new CfnOutput(this, 'BreakGlassRoleArn', { value: this.breakGlass.role.roleArn });
    new CfnOutput(this, 'AuditTrailBucket', { value: this.auditTrail.bucket.bucketName });
    if (this.auth.userPool && this.auth.staffClient && this.auth.machineClient) {
      new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
      new CfnOutput(this, 'StaffClientId', { value: this.auth.staffClient.userPoolClientId });
      new CfnOutput(this, 'TelephonyClientId', { value: this.auth.machineClient.userPoolClientId });
      new CfnOutput(this, 'PortalClientId', { value: portalClientId });
    }
  }
}

export const STACK_ID = 'CallRecording';

/**
 * Builds the whole app on `app`: config from context, the stack, cdk-nag's AwsSolutions checks as a
 * validation plugin (synth fails on any finding not acknowledged with a reason).
 * Throws ConfigError, naming the key, on invalid context.
 */
export const defineApp = (app: App): { app: App; stack: CallRecordingStack; config: Config } => {
  const config = readConfig(app.node);
  const stack = new CallRecordingStack(app, STACK_ID, {
    config,
    description: 'Call recording governance: enforces the council Call Recording Policy',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  // cdk-nag 3: a validation plugin (Aspects.of(app).add(...) crashes in v3).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
};
