import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { AssetHashType, type CfnElement, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import {
  PORTAL_HSTS_SECONDS,
  type PortalConfigJson,
  type PortalCspSources,
  portalCsp,
} from '../../declarations/portal.js';
import { acknowledge } from './nag.js';
import { REPO_ROOT } from './recording-function.js';

/** The portal's sources (web/); `cdk synth` builds them with web/build.ts into the asset. */
export const WEB_DIR = path.join(REPO_ROOT, 'web');

/**
 * The asset of the built portal: `cdk synth` runs web/build.ts (esbuild, in this process's Node, no
 * Docker) into the asset's output folder, so a deploy never ships a stale or missing web/dist. Hashed
 * by output, so a change of govuk-frontend or preact in node_modules redeploys too.
 */
export const portalSource = () =>
  Source.asset(WEB_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['dist', 'node_modules'],
    bundling: {
      // Only used if local bundling failed, and it throws instead (below): no Docker build of the portal.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:20'),
      local: {
        tryBundle(outputDir: string) {
          const run = spawnSync(
            process.execPath,
            ['--import', 'tsx', path.join(WEB_DIR, 'build.ts'), outputDir],
            { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
          );
          if (run.status !== 0) throw new Error(`web/build.ts failed (exit ${run.status ?? run.signal})`);
          return true;
        },
      },
    },
  });

export interface PortalProps {
  /** Origins the portal may call (the API, the issuer) and load audio from (the archive bucket). */
  readonly csp: PortalCspSources;
  /** Server access logs of the portal's buckets go here (prefixes `portal/`, `portal-cdn-logs/`). */
  readonly accessLogs: IBucket;
  /** Days CloudFront's access logs are kept. */
  readonly logExpiryDays: number;
}

/**
 * The staff portal, deployed: its static files in a private bucket (public access blocked, TLS only,
 * SSE-S3) that only this distribution can read, through origin access control (OAC, not the legacy
 * OAI). Every response carries the portal's security headers (declarations/portal.ts, the same CSP
 * the local gateway sends) plus HSTS. `deploy(config)` uploads the built portal with the `config.json`
 * the portal reads at start: the API URL and the OpenID Connect settings.
 */
export class Portal extends Construct {
  readonly bucket: Bucket;
  readonly logs: Bucket;
  readonly distribution: Distribution;
  readonly headers: ResponseHeadersPolicy;
  /** Set by deploy(). */
  deployment?: BucketDeployment;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules: [{ id: 'expire-old-builds', noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudFront's standard logs are written with ACLs, so this bucket keeps them enabled (owner preferred).
    this.logs = new Bucket(this, 'CdnLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire-cdn-logs', expiration: Duration.days(props.logExpiryDays) }],
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal-cdn-logs/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Staff portal: strict CSP (declarations/portal.ts), HSTS, no framing, nosniff, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: portalCsp(props.csp), override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(PORTAL_HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Call recording staff portal',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.headers,
        compress: true,
      },
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: council staff sign in from home, mobile networks and partner sites whose egress may be abroad; who may use the portal is decided at sign-in (the IdP, MFA) and every request by the API, and the portal files hold no data.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF on the portal distribution: it serves only static, public-by-design files (GET/HEAD, no query forwarding, cached); a CloudFront web ACL must live in us-east-1, outside this stack. The API it calls is throttled at its stage and authorises every request.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      "The distribution uses CloudFront's default *.cloudfront.net certificate (no custom domain in this stack), with which CloudFront does not let the viewer TLS policy be set; HTTP is redirected to HTTPS and HSTS is sent.",
    );
  }

  /** The portal's address (the callback and sign-out URL of its OpenID Connect client). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }

  /** Uploads the built portal and its `config.json`, then invalidates the distribution's cache. */
  deploy(config: PortalConfigJson): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Deployment', {
      destinationBucket: this.bucket,
      sources: [portalSource(), Source.jsonData('config.json', config)],
      // Files keep their names across builds (assets/app.js): browsers revalidate, the invalidation refreshes the edge.
      cacheControl: [CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
    });
    // BucketDeployment's handler: a CDK-provided singleton (one per stack and memory size) whose
    // role, policy and runtime CDK writes; the findings below are of that code, reviewed here.
    const handler = deployment.handlerRole.node.scope;
    if (!handler) throw new Error('BucketDeployment has no handler function');
    const reasons: Record<string, string> = {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        "BucketDeployment's handler (CDK-provided) writes its own CloudWatch logs through AWSLambdaBasicExecutionRole, logs:CreateLogGroup/CreateLogStream/PutLogEvents only; CDK offers no way to swap it.",
      'AwsSolutions-IAM5[Action::s3:GetBucket*]':
        'Granted by CDK (grantRead) to the deployment handler on the CDK assets bucket and the portal bucket only: it reads the built portal and the bucket it syncs into.',
      'AwsSolutions-IAM5[Action::s3:GetObject*]':
        'Granted by CDK (grantRead) to the deployment handler on the CDK assets bucket and the portal bucket only: it copies the built portal zip from the assets bucket.',
      'AwsSolutions-IAM5[Action::s3:List*]':
        'Granted by CDK (grantRead/grantReadWrite) to the deployment handler on the CDK assets bucket and the portal bucket only: it lists the portal bucket to prune files of older builds.',
      'AwsSolutions-IAM5[Action::s3:Abort*]':
        'Granted by CDK (grantReadWrite) to the deployment handler on the portal bucket only (static portal files, no recordings): aborting its own multipart uploads.',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
        'Granted by CDK (grantReadWrite) to the deployment handler on the portal bucket only (static portal files, no recordings): prune deletes files an older build left behind.',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]':
        "The CDK bootstrap assets bucket: the deployment handler reads the portal's asset zip from it; the object key is only known at deploy time, so CDK grants the bucket's objects.",
      [`AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*]`]:
        "The portal bucket's objects (static portal files, no recordings): the deployment handler writes the build and config.json and prunes what an older build left.",
      'AwsSolutions-IAM5[Resource::*]':
        'Only cloudfront:CreateInvalidation and cloudfront:GetInvalidation (added by BucketDeployment for the portal distribution) use Resource *, as CDK grants them; no S3 action has Resource * (asserted by test/infra).',
      'AwsSolutions-L1':
        "BucketDeployment's handler runtime (Python) is chosen and pinned by aws-cdk-lib, not by this app; it runs only during deploys and moves when aws-cdk-lib is upgraded.",
    };
    for (const [id, reason] of Object.entries(reasons)) acknowledge(handler, id, reason);
    this.deployment = deployment;
    return deployment;
  }
}

/** `https://<bucket>.s3.<region>.amazonaws.com`: where the API's presigned links for a bucket point. */
export const presignedOrigin = (bucket: IBucket): string =>
  `https://${bucket.bucketName}.s3.${Stack.of(bucket).region}.${Stack.of(bucket).urlSuffix}`;
