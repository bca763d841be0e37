import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../declarations/functions.js';
import { ROUTES } from '../../declarations/routes.js';
import { SCHEDULES } from '../../declarations/schedules.js';
import { CORPORATE_ROLES } from '../../functions/domain/roles.js';
import { QUARANTINE_REASONS } from '../../functions/domain/upload.js';
import { type Built, buildStack, type Json, logicalIdOf } from './fixture.js';

let built: Built;

beforeAll(() => {
  built = buildStack();
});

const resourcesOf = (type: string): [string, Json][] =>
  Object.entries(built.json.Resources).filter(([, r]) => r.Type === type);

describe('HTTP API', () => {
  it('serves exactly the routes of declarations/routes.ts', () => {
    const routeKeys = resourcesOf('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);

    expect(routeKeys.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s: authorizer and handler',
    (key, route) => {
      // Arrange
      const [, created] =
        resourcesOf('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties.RouteKey === key) ?? [];
      const integrationId = String(created.Properties.Target['Fn::Join'][1][1].Ref);
      const integration = built.json.Resources[integrationId]?.Properties;
      const fnId = logicalIdOf(built.stack, built.stack.functions.get(route.function));

      // Assert
      if (route.auth === 'jwt') {
        expect(created.Properties.AuthorizationType).toBe('JWT');
        expect(created.Properties.AuthorizerId).toEqual({ Ref: expect.stringMatching(/Authorizer/) });
        // Issue 11 item 2: the caller class's scope, so an ID token (no scope) never reaches a function.
        expect(created.Properties.AuthorizationScopes).toEqual([
          route.caller === 'telephony' ? 'crs/ingest' : 'crs/staff',
        ]);
      } else {
        expect(created.Properties.AuthorizationType).toBe('NONE');
      }
      expect(integration?.IntegrationUri).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
    },
  );

  it('leaves only /health unauthenticated', () => {
    const open = resourcesOf('AWS::ApiGatewayV2::Route')
      .filter(([, r]) => r.Properties.AuthorizationType !== 'JWT')
      .map(([, r]) => r.Properties.RouteKey);

    expect(open).toEqual(['GET /health']);
  });

  it('trusts tokens of the stack user pool issued to its staff, telephony and portal clients', () => {
    const { stack } = built;
    if (
      !stack.auth.staffClient ||
      !stack.auth.machineClient ||
      !stack.auth.portalClient ||
      !stack.auth.userPool
    ) {
      throw new Error('no Cognito');
    }
    const [[, authorizer] = []] = resourcesOf('AWS::ApiGatewayV2::Authorizer');

    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [
          { Ref: logicalIdOf(stack, stack.auth.staffClient) },
          { Ref: logicalIdOf(stack, stack.auth.machineClient) },
          { Ref: logicalIdOf(stack, stack.auth.portalClient) },
        ],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              { Ref: logicalIdOf(stack, stack.auth.userPool) },
            ],
          ],
        },
      },
    });
  });

  it('gives the staff client the crs/staff scope and the telephony client only crs/ingest', () => {
    const clients = resourcesOf('AWS::Cognito::UserPoolClient').map(([, r]) => r.Properties);
    const staff = clients.find((c) => c.AllowedOAuthFlows?.includes('code'));
    const telephony = clients.find((c) => c.AllowedOAuthFlows?.includes('client_credentials'));
    const [[, server] = []] = resourcesOf('AWS::Cognito::UserPoolResourceServer');

    expect(server.Properties.Scopes.map((s: Json) => s.ScopeName).sort()).toEqual(['ingest', 'staff']);
    expect(JSON.stringify(staff?.AllowedOAuthScopes)).toContain('/staff');
    expect(JSON.stringify(staff?.AllowedOAuthScopes)).not.toContain('/ingest');
    expect(JSON.stringify(telephony?.AllowedOAuthScopes)).toContain('/ingest');
    expect(JSON.stringify(telephony?.AllowedOAuthScopes)).not.toContain('/staff');
  });

  it('logs every request and throttles the stage', () => {
    const [[, stage] = []] = resourcesOf('AWS::ApiGatewayV2::Stage');
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);

    expect(stage.Properties.StageName).toBe('$default');
    expect(stage.Properties.AccessLogSettings.DestinationArn).toBeDefined();
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      sub: '$context.authorizer.claims.sub',
    });
    expect(stage.Properties.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
  });
});

describe('Cognito (default issuer)', () => {
  it('requires MFA and strong passwords, and has no self sign-up', () => {
    const [[, pool] = []] = resourcesOf('AWS::Cognito::UserPool');

    expect(pool.Properties).toMatchObject({
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: expect.objectContaining({ MinimumLength: 14, RequireSymbols: true }) },
    });
  });

  it('has a group for every corporate role of the policy', () => {
    const groups = resourcesOf('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties.GroupName);

    expect(groups.sort()).toEqual(CORPORATE_ROLES.map((r) => `role:${r}`).sort());
  });

  it('gives the telephony platform a client-credentials client limited to the crs/ingest scope', () => {
    const clients = resourcesOf('AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties);
    const machine = clients.find((c) => c.AllowedOAuthFlows?.includes('client_credentials'));

    expect(machine).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] });
    expect(machine.AllowedOAuthScopes).toEqual([
      { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/ResourceServer/) }, '/ingest']] },
    ]);
    built.template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'crs',
      Scopes: [
        { ScopeName: 'ingest', ScopeDescription: Match.anyValue() },
        { ScopeName: 'staff', ScopeDescription: Match.anyValue() },
      ],
    });
  });
});

describe('council OIDC issuer (context oidcIssuerUrl + oidcAudience)', () => {
  it('trusts the named issuer and audience and creates no user pool', () => {
    // Arrange
    const oidc = buildStack({
      context: {
        oidcIssuerUrl: 'https://login.council.example/realms/staff',
        oidcAudience: 'crs-api,crs-cli',
        portalClientId: 'crs-portal',
      },
    });

    // Act
    const authorizers = Object.values(oidc.template.findResources('AWS::ApiGatewayV2::Authorizer'));

    // Assert
    expect(authorizers.map((a) => a.Properties.JwtConfiguration)).toEqual([
      { Issuer: 'https://login.council.example/realms/staff', Audience: ['crs-api', 'crs-cli'] },
    ]);
    oidc.template.resourceCountIs('AWS::Cognito::UserPool', 0);
  });
});

describe('events and schedules', () => {
  it('runs each declared job on its schedule with { job } as the event', () => {
    const rules = resourcesOf('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression);
    const sweepers = logicalIdOf(built.stack, built.stack.functions.get('sweepers'));

    expect(rules).toHaveLength(SCHEDULES.length);
    for (const schedule of SCHEDULES) {
      const { minute, hour, weekDay } = schedule.cron;
      const expression = `cron(${minute} ${hour} ${weekDay ? '?' : '*'} * ${weekDay ?? '?'} *)`;
      const [, rule] =
        rules.find(([, r]) => JSON.parse(r.Properties.Targets[0].Input).job === schedule.job) ?? [];
      expect(rule?.Properties.ScheduleExpression).toBe(expression);
      expect(rule?.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [sweepers, 'Arn'] });
    }
  });

  it('sends archive objects expired by lifecycle to the lifecycle-events function', () => {
    const fn = logicalIdOf(built.stack, built.stack.functions.get('lifecycleEvents'));

    built.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Deleted'],
        detail: {
          bucket: { name: [{ Ref: logicalIdOf(built.stack, built.stack.buckets.archive) }] },
          reason: ['Lifecycle Expiration'],
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fn, 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it('feeds the ingest worker and the hold worker from their queues, retrying only failed messages', () => {
    const { stack } = built;
    for (const [fn, queue] of [
      ['ingestWorker', stack.messaging.inboxEvents],
      ['legalHoldWorker', stack.messaging.holdFanout],
    ] as const) {
      built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalIdOf(stack, stack.functions.get(fn)) },
        EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack, queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });
});

describe('alarms', () => {
  const alarms = () => resourcesOf('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const topic = () => ({ Ref: logicalIdOf(built.stack, built.stack.alarms.topic) });

  it('alarms on any message in any dead-letter queue', () => {
    for (const queue of Object.values(built.stack.messaging.deadLetterQueues)) {
      const queueName = { 'Fn::GetAtt': [logicalIdOf(built.stack, queue), 'QueueName'] };
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: queueName }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [topic()],
        }),
      );
    }
  });

  it('alarms when any recording is quarantined, whatever the reason (no registration, audio not as registered)', () => {
    const quarantine = alarms().find((a) =>
      (a.Metrics ?? []).some((m: Json) => m.MetricStat?.Metric?.MetricName === 'RecordingsQuarantined'),
    );
    expect(quarantine).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(quarantine.AlarmActions).toEqual([topic()]);
    const stats = (quarantine.Metrics as Json[]).filter((m) => m.MetricStat);
    expect(stats.map((m) => m.MetricStat.Metric)).toEqual(
      QUARANTINE_REASONS.map((reason) => ({
        Namespace: 'CallRecordingGovernance',
        MetricName: 'RecordingsQuarantined',
        Dimensions: [{ Name: 'reason', Value: reason }],
      })),
    );
    const sum = (quarantine.Metrics as Json[]).find((m) => m.Expression);
    expect(sum).toMatchObject({ ReturnData: true });
    for (const m of stats) expect(sum.Expression).toContain(m.Id);
  });

  it.each(FUNCTIONS.map((f) => f.id))('alarms on errors and throttles of %s', (id) => {
    const fn = { Ref: logicalIdOf(built.stack, built.stack.functions.get(id)) };
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          MetricName: metric,
          Namespace: 'AWS/Lambda',
          Dimensions: [{ Name: 'FunctionName', Value: fn }],
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [topic()],
        }),
      );
    }
  });
});

describe('HTTP API with an Entra ID issuer and a claim mapping', () => {
  const mapping = {
    '3f2b8c1e-6a4d-4b7e-9c10-5d6e7f8a9b0c': 'area:housing:listener',
    'CRS.Staff': 'scope:crs/staff',
  };
  let entra: Built;

  beforeAll(() => {
    entra = buildStack({
      context: {
        oidcIssuerUrl: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
        oidcAudience: 'api://crs',
        portalClientId: '6f1c2a4e-portal-spa',
        staffIdClaim: 'oid',
        claimMapping: mapping,
      },
    });
  });

  it('passes the mapping and the staff id claim to every API function', () => {
    const apiFunctions = [...new Set(ROUTES.filter((r) => r.auth === 'jwt').map((r) => r.function))];
    for (const id of apiFunctions) {
      const fn = entra.json.Resources[logicalIdOf(entra.stack, entra.stack.functions.get(id))];
      expect(fn?.Properties?.Environment?.Variables).toMatchObject({
        STAFF_ID_CLAIM: 'oid',
        CLAIM_MAPPING: JSON.stringify({
          '3f2b8c1e-6a4d-4b7e-9c10-5d6e7f8a9b0c': ['area:housing:listener'],
          'CRS.Staff': ['scope:crs/staff'],
        }),
      });
    }
  });

  it('leaves the scope check to the functions (app-only Entra tokens carry roles, not scp)', () => {
    const routes = Object.values(entra.json.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.filter((r) => r.Properties?.AuthorizationScopes !== undefined)).toEqual([]);
    expect(routes.filter((r) => r.Properties?.AuthorizationType === 'JWT')).toHaveLength(ROUTES.length - 1);
  });
});
