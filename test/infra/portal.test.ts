/**
 * The staff portal as deployed: a private bucket read by CloudFront through origin access control,
 * the portal's security headers on every response, the built portal plus a config.json naming the
 * API and the OpenID Connect client, and a Cognito client of its own that the API's authorizer trusts.
 * cdk-nag runs on every synth here (fixture.ts): building the stack at all proves it clean.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Stack } from 'aws-cdk-lib';
import { PORTAL_SCOPE, portalCsp } from '../../declarations/portal.js';
import { type Built, buildStack, type Json, list, logicalIdOf } from './fixture.js';

let built: Built;

beforeAll(() => {
  built = buildStack();
}, 300_000);

const resourcesOf = (b: Built, type: string): Json[] =>
  Object.values(b.json.Resources).filter((r) => r.Type === type);
const only = (b: Built, type: string): Json => {
  const found = resourcesOf(b, type);
  expect(found).toHaveLength(1);
  return found[0];
};
const id = (b: Built, construct: { node: { defaultChild?: unknown } }) => logicalIdOf(b.stack, construct);

/** config.json as the deployment writes it: the staged file, with CDK's deploy-time markers put back as the tokens they stand for. */
const deployedConfig = (b: Built): Json => {
  const deployment = only(b, 'Custom::CDKBucketDeployment').Properties;
  const index = deployment.SourceMarkers.findIndex((m: Json) => Object.keys(m).length > 0);
  const key: string = deployment.SourceObjectKeys[index];
  const dir = path.join(b.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
  const text = readFileSync(path.join(dir, 'config.json'), 'utf8');
  const markers: Record<string, Json> = deployment.SourceMarkers[index];
  // Each string becomes the list of its literal parts and tokens, in order.
  const parts = (value: string): Json[] =>
    value
      .split(/(<<marker:0xbaba:\d+>>)/)
      .filter((p) => p !== '')
      .map((p) => markers[p] ?? p);
  const config = JSON.parse(text);
  return {
    apiUrl: parts(config.apiUrl),
    mediaOrigin: parts(config.mediaOrigin),
    authority: parts(config.oidc.authority),
    clientId: parts(config.oidc.clientId),
    scope: config.oidc.scope,
    keys: Object.keys(config.oidc).sort(),
  };
};

describe('portal bucket', () => {
  it('is private, encrypted and TLS-only, and read by the distribution through OAC only', () => {
    const { stack } = built;
    const bucket: Json = built.json.Resources[id(built, stack.portal.bucket)]?.Properties;
    const policy = resourcesOf(built, 'AWS::S3::BucketPolicy').find(
      (p) => p.Properties.Bucket.Ref === id(built, stack.portal.bucket),
    );
    const statements: Json[] = list(policy?.Properties.PolicyDocument.Statement);

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                expect.arrayContaining([`:distribution/`, { Ref: id(built, stack.portal.distribution) }]),
              ],
            },
          },
        },
      }),
    ]);
  });

  it('is the origin of the distribution through an origin access control, not an OAI', () => {
    const distribution = only(built, 'AWS::CloudFront::Distribution').Properties.DistributionConfig;
    const oac = only(built, 'AWS::CloudFront::OriginAccessControl').Properties.OriginAccessControlConfig;

    expect(oac).toMatchObject({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' });
    expect(distribution.Origins).toEqual([
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': [id(built, built.stack.portal.bucket), 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': [expect.any(String), 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      }),
    ]);
    expect(resourcesOf(built, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual([]);
    expect(distribution).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] },
      Logging: { Bucket: { 'Fn::GetAtt': [id(built, built.stack.portal.logs), 'RegionalDomainName'] } },
    });
  });
});

describe('response headers', () => {
  const config = () =>
    only(built, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;

  it('sends the CSP of declarations/portal.ts, naming the API, the issuer and the archive, with no unsafe-inline', () => {
    const { stack } = built;
    const expected = stack.resolve(
      portalCsp({
        connect: [
          stack.api.httpApi.apiEndpoint,
          `https://cognito-idp.${Stack.of(stack).region}.amazonaws.com`,
          // The hosted UI's domain: authorize and token endpoints.
          ...stack.auth.browserOrigins.slice(1),
        ],
        media: [
          `https://${stack.buckets.archive.bucketName}.s3.${Stack.of(stack).region}.${Stack.of(stack).urlSuffix}`,
        ],
      }),
    );
    const csp = config().ContentSecurityPolicy;
    const text = JSON.stringify(csp.ContentSecurityPolicy);

    expect(csp).toEqual({ ContentSecurityPolicy: expected, Override: true });
    expect(text).toContain("script-src 'self';");
    expect(text).toContain("style-src 'self';");
    expect(text).toContain("frame-ancestors 'none'");
    expect(text).toContain("object-src 'none'");
    expect(text).not.toMatch(/unsafe-(inline|eval)/);
    expect(text).toContain(JSON.stringify({ 'Fn::GetAtt': [id(built, stack.api.httpApi), 'ApiEndpoint'] }));
    expect(text).toContain(`{"Ref":"${id(built, stack.buckets.archive)}"}`);
  });

  it('sends HSTS, nosniff, DENY framing and no referrer', () => {
    expect(config()).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
    const behavior = only(built, 'AWS::CloudFront::Distribution').Properties.DistributionConfig
      .DefaultCacheBehavior;
    expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: expect.stringMatching(/^PortalHeaders/) });
  });
});

describe('deployment and config.json', () => {
  it('uploads the built portal and a config.json, pruning older builds and invalidating the cache', () => {
    const deployment = only(built, 'Custom::CDKBucketDeployment').Properties;

    expect(deployment).toMatchObject({
      DestinationBucketName: { Ref: id(built, built.stack.portal.bucket) },
      DistributionId: { Ref: id(built, built.stack.portal.distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
    });
    expect(deployment.SourceObjectKeys).toHaveLength(2);
  });

  it('writes config.json with the API URL, the user pool as authority and the portal client', () => {
    const { stack } = built;
    if (!stack.auth.userPool || !stack.auth.portalClient) throw new Error('no Cognito');

    expect(deployedConfig(built)).toEqual({
      apiUrl: [{ 'Fn::GetAtt': [id(built, stack.api.httpApi), 'ApiEndpoint'] }],
      // The archive bucket's origin, which presigned playback links point at: preconnected before Play.
      mediaOrigin: [
        'https://',
        { Ref: id(built, stack.buckets.archive) },
        '.s3.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
      ],
      authority: [
        'https://cognito-idp.',
        { Ref: 'AWS::Region' },
        '.amazonaws.com/',
        { Ref: id(built, stack.auth.userPool) },
      ],
      clientId: [{ Ref: id(built, stack.auth.portalClient) }],
      scope: PORTAL_SCOPE,
      keys: ['authority', 'clientId', 'scope'],
    });
    expect(PORTAL_SCOPE.split(' ')).toEqual(expect.arrayContaining(['openid', 'crs/staff']));
  });
});

describe('portal sign-in client (Cognito)', () => {
  it('is a public client: code + PKCE through the hosted UI, no secret, no password flows, crs/staff', () => {
    const { stack } = built;
    if (!stack.auth.portalClient) throw new Error('no portal client');
    const client: Json = built.json.Resources[id(built, stack.auth.portalClient)]?.Properties;
    const portalUrl = {
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [id(built, stack.portal.distribution), 'DomainName'] }, '/'],
      ],
    };

    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: [portalUrl],
      LogoutURLs: [portalUrl],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(client.AllowedOAuthScopes).toEqual([
      'openid',
      'profile',
      { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/ResourceServer/) }, '/staff']] },
    ]);
  });

  it("is in the API authorizer's audience, so its access tokens (crs/staff) reach the staff routes", () => {
    const { stack } = built;
    if (!stack.auth.portalClient) throw new Error('no portal client');
    const authorizer = only(built, 'AWS::ApiGatewayV2::Authorizer').Properties;

    expect(authorizer.JwtConfiguration.Audience).toContainEqual({ Ref: id(built, stack.auth.portalClient) });
  });

  it('answers the portal’s CORS preflights for bearer requests, never with credentials', () => {
    const api = only(built, 'AWS::ApiGatewayV2::Api').Properties;

    expect(api.CorsConfiguration).toMatchObject({
      AllowOrigins: ['*'],
      AllowCredentials: false,
      AllowHeaders: expect.arrayContaining(['authorization', 'content-type']),
      ExposeHeaders: expect.arrayContaining(['x-correlation-id']),
    });
  });

  it('lets the browser keep a preflight an hour, so a Play does not wait for one (Chromium caps it at 2 h)', () => {
    const api = only(built, 'AWS::ApiGatewayV2::Api').Properties;

    expect(api.CorsConfiguration.MaxAge).toBe(3600);
  });
});

describe("council's OIDC issuer", () => {
  let oidc: Built;
  beforeAll(() => {
    oidc = buildStack({
      context: {
        oidcIssuerUrl: 'https://login.council.example/realms/staff',
        oidcAudience: 'crs-api',
        portalClientId: 'crs-portal',
        portalScope: 'openid profile crs/staff',
      },
    });
  }, 300_000);

  it('writes the issuer and the configured portal client into config.json, and allows the issuer in the CSP', () => {
    const csp = JSON.stringify(
      only(oidc, 'AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig
        .SecurityHeadersConfig.ContentSecurityPolicy,
    );

    expect(deployedConfig(oidc)).toMatchObject({
      authority: ['https://login.council.example/realms/staff'],
      clientId: ['crs-portal'],
      scope: 'openid profile crs/staff',
    });
    expect(csp).toContain(' https://login.council.example;');
    expect(resourcesOf(oidc, 'AWS::Cognito::UserPoolClient')).toEqual([]);
  });
});
