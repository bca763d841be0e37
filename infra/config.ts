/**
 * Deployment configuration, read from `cdk.json` context (or `cdk synth -c key=value`) and validated once.
 * A bad value stops synth with a message naming the key, before any resource is built.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import * as z from 'zod';
import { isMappingTarget } from '../functions/domain/roles.js';

/** Every context key this app reads, with the value used when `cdk.json` does not set it. */
export const CONTEXT_DEFAULTS = {
  retentionMinMonths: 12,
  retentionMaxMonths: 24,
  playbackLinkTtlSeconds: 300,
  uploadLinkTtlSeconds: 900,
  releaseCopyTtlDays: 30,
  releaseRequestTtlDays: 14,
  logRetentionDays: 90,
  apiThrottleRatePerSecond: 50,
  apiThrottleBurst: 100,
  /** The one JWT claim a person's staff id is read from, whatever token they send. */
  staffIdClaim: 'sub',
  /** Object Lock mode of the archive: GOVERNANCE (break-glass purge possible) or COMPLIANCE (none). */
  archiveLockMode: 'GOVERNANCE',
} as const;

/** Optional keys: issuer settings (Cognito when unset) and the Cognito hosted-domain prefix. */
export const OPTIONAL_CONTEXT_KEYS = [
  'oidcIssuerUrl',
  'oidcAudience',
  'cognitoDomainPrefix',
  'claimMapping',
  'portalClientId',
  'portalScope',
] as const;

/** Lambda's environment holds 4 KB in all; the mapping travels in it as JSON. */
export const MAX_CLAIM_MAPPING_CHARS = 3000;

export type ContextKey = keyof typeof CONTEXT_DEFAULTS | (typeof OPTIONAL_CONTEXT_KEYS)[number];

export class ConfigError extends Error {
  constructor(
    readonly key: ContextKey,
    detail: string,
  ) {
    super(`Invalid context \`${key}\` (cdk.json "context" or -c ${key}=...): ${detail}`);
    this.name = 'ConfigError';
  }
}

/** `-c key=value` on the command line always arrives as a string; cdk.json gives JSON numbers. */
const numeric = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;

const int = (min: number, max: number) =>
  z.preprocess(
    numeric,
    z
      .number({ error: `expected an integer from ${min} to ${max}` })
      .int({ error: `expected an integer from ${min} to ${max}` })
      .min(min, { error: `expected an integer from ${min} to ${max}` })
      .max(max, { error: `expected an integer from ${min} to ${max}` }),
  );

const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

const audience = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value),
  z
    .array(z.string().min(1, { error: 'expected non-empty audience values' }), {
      error: 'expected a list of audience strings (or a comma-separated string)',
    })
    .min(1, { error: 'expected at least one audience' }),
);

const claimMapping = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
  z
    .record(
      z.string().min(1, { error: 'expected a group object id or app-role value as the key' }).max(256),
      z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (typeof v === 'string' ? [v] : v)),
      {
        error:
          'expected an object: {"<group object id or app role>": "area:<area>:<grant>" | "role:<role>" | [...]}',
      },
    )
    .superRefine((mapping, ctx) => {
      for (const [key, targets] of Object.entries(mapping)) {
        for (const target of targets) {
          if (!isMappingTarget(target)) {
            ctx.addIssue({
              code: 'custom',
              message: `${key}: ${JSON.stringify(target)} is not area:<area>:<grant>, role:<corporate role> or scope:crs/<staff|ingest>`,
            });
          }
        }
      }
      if (Object.keys(mapping).length === 0) {
        ctx.addIssue({ code: 'custom', message: 'expected at least one entry (or leave claimMapping out)' });
      }
      if (JSON.stringify(mapping).length > MAX_CLAIM_MAPPING_CHARS) {
        ctx.addIssue({
          code: 'custom',
          message: `the mapping must stay under ${MAX_CLAIM_MAPPING_CHARS} characters of JSON (it travels in the functions' environment)`,
        });
      }
    }),
);

const schema = z
  .object({
    // Policy s.7: kept at least 12 months, deleted after 24. Shorter minima would break the policy.
    retentionMinMonths: int(12, 120),
    retentionMaxMonths: int(12, 240),
    // A presigned URL dies with the signing role's session anyway; keep links to minutes (DESIGN pitfalls).
    playbackLinkTtlSeconds: int(60, 3600),
    uploadLinkTtlSeconds: int(60, 3600),
    // Issue 5: released copies expire, default and maximum 30 days.
    releaseCopyTtlDays: int(1, 30),
    releaseRequestTtlDays: int(1, 90),
    logRetentionDays: z.preprocess(
      numeric,
      z.number().refine((v) => LOG_RETENTION_DAYS.includes(v), {
        error: `expected one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
      }),
    ),
    apiThrottleRatePerSecond: int(1, 10_000),
    apiThrottleBurst: int(1, 5_000),
    oidcIssuerUrl: z
      .url({ protocol: /^https$/, error: 'expected an https:// issuer URL (the `iss` claim of its tokens)' })
      .optional(),
    oidcAudience: audience.optional(),
    cognitoDomainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
        error: 'expected lower-case letters, digits and hyphens (a Cognito domain prefix)',
      })
      .refine((v) => !/aws|amazon|cognito/.test(v), {
        error: 'a Cognito domain prefix may not contain "aws", "amazon" or "cognito"',
      })
      .optional(),
    staffIdClaim: z.string().regex(/^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/, {
      error: 'expected a JWT claim name such as sub or oid',
    }),
    claimMapping: claimMapping.optional(),
    // The staff portal's client at the council's issuer (a public SPA client: code + PKCE, no secret).
    portalClientId: z
      .string()
      .regex(/^[A-Za-z0-9._:/-]{1,256}$/, {
        error: "expected the portal's client id at the council's issuer",
      })
      .optional(),
    // What the portal asks the council's issuer for, so the access token it gets is one the API accepts.
    portalScope: z
      .string()
      .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, {
        error: 'expected space-separated OAuth scopes, e.g. "openid profile api://crs/staff"',
      })
      .optional(),
    archiveLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE'], { error: 'expected GOVERNANCE or COMPLIANCE' }),
  })
  .superRefine((c, ctx) => {
    if (c.oidcIssuerUrl === undefined && c.staffIdClaim !== 'sub') {
      ctx.addIssue({
        code: 'custom',
        path: ['staffIdClaim'],
        message:
          "the stack's Cognito pool keys staff on `sub` (the one identity claim its access tokens carry); other claims need oidcIssuerUrl",
      });
    }
    if (c.oidcIssuerUrl === undefined && c.claimMapping !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['claimMapping'],
        message:
          'a claim mapping is for an OIDC issuer (oidcIssuerUrl); Cognito groups are named area:/role: already',
      });
    }
    if (c.retentionMaxMonths <= c.retentionMinMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['retentionMaxMonths'],
        message: `expected more than retentionMinMonths (${c.retentionMinMonths})`,
      });
    }
    if (c.oidcIssuerUrl !== undefined && c.oidcAudience === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['oidcAudience'],
        message: 'required when oidcIssuerUrl is set (the client id(s) your issuer puts in `aud`)',
      });
    }
    if (c.oidcIssuerUrl !== undefined && c.portalClientId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['portalClientId'],
        message:
          "required when oidcIssuerUrl is set: the staff portal's client id at your issuer (a public client, authorization code + PKCE, redirecting to the portal's URL)",
      });
    }
    for (const key of ['portalClientId', 'portalScope'] as const) {
      if (c.oidcIssuerUrl === undefined && c[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message:
            "for the council's issuer (oidcIssuerUrl) only; with the stack's Cognito pool the portal gets its own client",
        });
      }
    }
    if (c.oidcAudience !== undefined && c.oidcIssuerUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['oidcIssuerUrl'],
        message: 'required when oidcAudience is set',
      });
    }
  });

export type Config = z.infer<typeof schema>;

/** The issuer the HTTP API trusts: the stack's own Cognito user pool, or the council's OIDC provider. */
export type IssuerConfig =
  | { kind: 'cognito' }
  | {
      kind: 'oidc';
      issuerUrl: string;
      audience: string[];
      /** The staff portal's client at this issuer, and the scopes it asks for (portal config.json). */
      portal: { clientId: string; scope?: string };
    };

export const issuerOf = (config: Config): IssuerConfig =>
  config.oidcIssuerUrl !== undefined &&
  config.oidcAudience !== undefined &&
  config.portalClientId !== undefined
    ? {
        kind: 'oidc',
        issuerUrl: config.oidcIssuerUrl,
        audience: config.oidcAudience,
        portal: {
          clientId: config.portalClientId,
          ...(config.portalScope !== undefined ? { scope: config.portalScope } : {}),
        },
      }
    : { kind: 'cognito' };

/** Validates raw context values; throws a ConfigError naming the first bad key. */
export const parseConfig = (raw: Partial<Record<ContextKey, unknown>>): Config => {
  const input: Record<string, unknown> = { ...CONTEXT_DEFAULTS };
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && value !== null) input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? 'unknown') as ContextKey;
  throw new ConfigError(key, `${issue?.message ?? 'invalid'}; got ${JSON.stringify(input[key])}`);
};

/** Reads this app's keys from the construct tree's context (cdk.json, cdk.context.json, -c). */
export const readConfig = (node: Node): Config => {
  const keys = [...Object.keys(CONTEXT_DEFAULTS), ...OPTIONAL_CONTEXT_KEYS] as ContextKey[];
  return parseConfig(Object.fromEntries(keys.map((key) => [key, node.tryGetContext(key)])));
};

export { maxDaysIn } from '../declarations/retention-days.js';
