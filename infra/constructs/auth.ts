import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { INGEST_SCOPE, STAFF_SCOPE } from '../../declarations/scopes.js';
import { CORPORATE_ROLES } from '../../functions/domain/roles.js';
import type { IssuerConfig } from '../config.js';

export interface AuthProps {
  readonly issuer: IssuerConfig;
  /** Hosted-domain prefix for the Cognito token endpoint (client-credentials flow). */
  readonly cognitoDomainPrefix?: string;
  /**
   * The deployed staff portal's address (https://<distribution>/): with the stack's Cognito pool, the
   * portal gets its own public app client (authorization code + PKCE, no secret) redirecting there.
   */
  readonly portalUrl?: string;
}

/** Loopback redirect for the `crs login` CLI (authorization code + PKCE on the staff client). */
export const CLI_CALLBACK_URL = 'http://localhost:8400/callback';

const [INGEST_SERVER, INGEST_SCOPE_NAME] = INGEST_SCOPE.split('/') as [string, string];
const [STAFF_SERVER, STAFF_SCOPE_NAME] = STAFF_SCOPE.split('/') as [string, string];
if (STAFF_SERVER !== INGEST_SERVER) throw new Error('crs scopes must share one resource server');

/**
 * Who the HTTP API trusts. By default a Cognito user pool of the stack's own: staff sign in (MFA
 * required) and carry their grants as groups (`role:<corporateRole>` are created here; per-area
 * groups `area:<serviceArea>:<grant>` are created by administrators as service areas are approved);
 * the telephony platform uses a client-credentials app client with the `crs/ingest` scope. Staff
 * access tokens carry `crs/staff` (the staff client's resource-server scope); every staff route
 * requires it and every ingest route `crs/ingest` (api.ts), so an ID token, which carries no scope, is
 * refused at the gateway: a person is one identity (`sub`) whatever they hold.
 * With `oidcIssuerUrl` + `oidcAudience` in context, the council's own OIDC issuer is trusted instead
 * and no user pool is created.
 */
export class Auth extends Construct {
  readonly authorizer: HttpJwtAuthorizer;
  /** The issuer the API trusts (`iss` of its tokens): the portal's OpenID Connect authority. */
  readonly issuerUrl: string;
  /** Origins a browser signing in here talks to (the portal's CSP connect-src). */
  readonly browserOrigins: string[];
  readonly userPool?: UserPool;
  readonly staffClient?: UserPoolClient;
  readonly machineClient?: UserPoolClient;
  readonly portalClient?: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    if (props.issuer.kind === 'oidc') {
      this.issuerUrl = props.issuer.issuerUrl;
      this.browserOrigins = [new URL(props.issuer.issuerUrl).origin];
      this.authorizer = new HttpJwtAuthorizer('OidcAuthorizer', props.issuer.issuerUrl, {
        jwtAudience: props.issuer.audience,
      });
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      customAttributes: { staff_id: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus plan: threat protection blocks compromised-credential and risky sign-ins to recordings.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of CORPORATE_ROLES) {
      userPool.addGroup(`Role-${role}`, {
        groupName: `role:${role}`,
        description: `Corporate role ${role} (Call Recording Policy s.6/s.7)`,
      });
    }
    const ingest = new ResourceServerScope({
      scopeName: INGEST_SCOPE_NAME,
      scopeDescription: 'Register calls and upload recordings (telephony platform)',
    });
    const staff = new ResourceServerScope({
      scopeName: STAFF_SCOPE_NAME,
      scopeDescription: 'Staff use of the API (search, playback, releases, holds, registers)',
    });
    const server = userPool.addResourceServer('ResourceServer', {
      identifier: INGEST_SERVER,
      userPoolResourceServerName: 'Call recording API',
      scopes: [ingest, staff],
    });
    const domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.cognitoDomainPrefix ?? `crs-${Aws.ACCOUNT_ID}` },
    });

    const staffClient = userPool.addClient('StaffClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [
          OAuthScope.OPENID,
          OAuthScope.EMAIL,
          OAuthScope.PROFILE,
          OAuthScope.resourceServer(server, staff),
        ],
        callbackUrls: [CLI_CALLBACK_URL],
      },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    const machineClient = userPool.addClient('TelephonyClient', {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [OAuthScope.resourceServer(server, ingest)],
      },
      accessTokenValidity: Duration.hours(1),
    });

    // The staff portal: a public client (a browser keeps no secret), authorization code + PKCE through
    // the hosted UI only (no password flows), redirecting to the portal's own address. Its access
    // tokens carry `crs/staff` and the person's `sub` and `cognito:groups`, exactly as the staff
    // client's do, so a person is the same identity (principal.ts) whether they use crs or the portal.
    const portalClient = props.portalUrl
      ? userPool.addClient('PortalClient', {
          generateSecret: false,
          authFlows: {},
          oAuth: {
            flows: { authorizationCodeGrant: true },
            scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.resourceServer(server, staff)],
            callbackUrls: [props.portalUrl],
            logoutUrls: [props.portalUrl],
          },
          preventUserExistenceErrors: true,
          enableTokenRevocation: true,
          accessTokenValidity: Duration.hours(1),
          idTokenValidity: Duration.hours(1),
          refreshTokenValidity: Duration.hours(1),
        })
      : undefined;
    if (portalClient) {
      // Unset, Cognito would also allow SRP and custom auth: the portal signs in through the hosted UI only.
      (portalClient.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    }

    this.userPool = userPool;
    this.staffClient = staffClient;
    this.machineClient = machineClient;
    this.portalClient = portalClient;
    // Discovery and keys at cognito-idp, the hosted UI's authorize and token endpoints at the domain.
    this.browserOrigins = [`https://cognito-idp.${Aws.REGION}.amazonaws.com`, domain.baseUrl()];
    this.issuerUrl = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', this.issuerUrl, {
      jwtAudience: [
        staffClient.userPoolClientId,
        machineClient.userPoolClientId,
        ...(portalClient ? [portalClient.userPoolClientId] : []),
      ],
    });
  }
}
