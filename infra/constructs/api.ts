import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionId } from '../../declarations/functions.js';
import { ROUTES, scopesOf } from '../../declarations/routes.js';
import type { Functions } from './functions.js';

export interface ApiProps {
  readonly functions: Functions;
  readonly authorizer: HttpJwtAuthorizer;
  /**
   * Require each route's caller-class scope at the gateway (authorization scopes). On with the stack's
   * Cognito pool; off for an OIDC issuer whose app-only tokens carry roles, not scopes (Entra ID): the
   * function checks the scope there, from the token or the claim mapping.
   */
  readonly requireScopes: boolean;
  readonly logRetention: RetentionDays;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Answer the staff portal's CORS preflights (it is served from CloudFront, another origin). Any
   * origin: the API takes bearer tokens only, never cookies, so a browser sends no credential on its
   * own and an origin list would protect nothing; and the portal's CSP names this API's exact URL,
   * so the API cannot also name the distribution without a dependency cycle.
   */
  readonly cors?: boolean;
}

/** What the portal's requests carry, and the response headers its code reads. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'accept'];
export const CORS_EXPOSE_HEADERS = ['x-correlation-id', 'content-disposition'];

/** Access log fields: who called what, with which result; never bodies or tokens. */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  sub: '$context.authorizer.claims.sub',
  clientId: '$context.authorizer.claims.client_id',
  latencyMs: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/**
 * The HTTP API, built from the route table of declarations/routes.ts (the local gateway reads
 * the same table). Every route but `/health` goes through the JWT authorizer; each handler then
 * authorises the request against the policy.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Call recording governance API',
      createDefaultStage: false,
      ...(props.cors
        ? {
            corsPreflight: {
              allowOrigins: ['*'],
              allowCredentials: false,
              allowHeaders: CORS_ALLOW_HEADERS,
              exposeHeaders: CORS_EXPOSE_HEADERS,
              allowMethods: [...new Set(ROUTES.map((r) => r.method))].map((m) => CorsHttpMethod[m]),
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    const integrationFor = (fnId: FunctionId) => {
      let integration = integrations.get(fnId);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${fnId}Integration`, props.functions.get(fnId));
        integrations.set(fnId, integration);
      }
      return integration;
    };

    for (const route of ROUTES) {
      const [created] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.function),
        authorizer: route.auth === 'jwt' ? props.authorizer : new HttpNoneAuthorizer(),
        ...(route.auth === 'jwt' && props.requireScopes ? { authorizationScopes: scopesOf(route) } : {}),
      });
      if (route.auth === 'none' && created) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is declared auth 'none' in routes.ts: a liveness probe for load balancers and the local stack, returning component status only, no recording data.`,
        });
      }
    }
  }
}
