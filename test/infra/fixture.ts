/**
 * Builds the app the way `cdk synth` does (cdk.json context, defineApp, cdk-nag as a validation plugin)
 * so that each test file synthesises the stack once, in beforeAll.
 *
 * Bundling the ten functions and the CloudFormation schema check cost tens of seconds per process, so
 * only stack.test.ts builds "as deployed" (real esbuild bundles, built-in validation). Other files skip
 * bundling with CDK's own `aws:cdk:bundling-stacks` context (what `cdk deploy --exclusively` does for
 * unselected stacks): their assertions are about the template, which bundling does not change except
 * for asset hashes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { DeployFunctionId, FunctionId } from '../../declarations/functions.js';
import { REPO_ROOT } from '../../infra/constructs/recording-function.js';
import { type CallRecordingStack, defineApp } from '../../infra/stack.js';

export const cdkJsonContext = (): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;

export interface BuildOptions {
  /** Context on top of cdk.json's. */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for every function and CDK's built-in CloudFormation validation. */
  readonly asDeployed?: boolean;
}

export interface Built {
  readonly app: App;
  readonly stack: CallRecordingStack;
  readonly template: Template;
  readonly json: CfnTemplate;
}

export const buildStack = (options: BuildOptions = {}): Built => {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      ...(options.asDeployed ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
    builtinCloudFormationValidation: options.asDeployed ?? false,
  });
  const { stack } = defineApp(app);
  // Synthesises the app: runs cdk-nag (and, as deployed, CloudFormation validation) and throws on findings.
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as CfnTemplate };
};

// ------------------------------------------------------------------ template helpers

/** Parsed CloudFormation JSON: untyped by nature, read with optional chaining. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON has no static type
export type Json = any;

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
  readonly Principal?: unknown;
}

export const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const logicalIdOf = (
  stack: CallRecordingStack,
  construct: { node: { defaultChild?: unknown } },
): string => stack.resolve((construct.node.defaultChild as CfnRole).logicalId) as string;

/** Identity-policy statements attached to a role, by the role's logical id. */
export const statementsOfRole = (json: CfnTemplate, roleLogicalId: string): Statement[] =>
  Object.values(json.Resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) => list(r.Properties?.Roles).some((ref: Json) => ref?.Ref === roleLogicalId))
    .flatMap((r) => list<Statement>(r.Properties?.PolicyDocument?.Statement));

export const statementsOfFunction = (built: Built, id: FunctionId | DeployFunctionId): Statement[] => {
  const role = built.stack.functions.get(id).role;
  if (!role) throw new Error(`${id} has no role`);
  return statementsOfRole(built.json, logicalIdOf(built.stack, role));
};

/** Every identity-policy statement in the template, but those of the roles named in `exceptRoles` (logical ids). */
export const allIdentityStatements = (json: CfnTemplate, exceptRoles: readonly string[] = []): Statement[] =>
  Object.entries(json.Resources)
    .filter(([id, r]) =>
      r.Type === 'AWS::IAM::Role'
        ? !exceptRoles.includes(id)
        : r.Type === 'AWS::IAM::Policy' &&
          !list<Json>(r.Properties?.Roles).every((ref) => exceptRoles.includes(ref?.Ref)),
    )
    .map(([, r]) => r)
    .flatMap((r) =>
      r.Type === 'AWS::IAM::Policy'
        ? list<Statement>(r.Properties?.PolicyDocument?.Statement)
        : list<Json>(r.Properties?.Policies).flatMap((p) => list<Statement>(p.PolicyDocument?.Statement)),
    );

/** `<Logical.Arn>/suffix` for Fn::Join / Fn::GetAtt resources, `*` stays `*`. */
export const renderResource = (resource: unknown): string => {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, Json>;
  if (r['Fn::GetAtt']) return `<${r['Fn::GetAtt'][0]}.${r['Fn::GetAtt'][1]}>`;
  if (r.Ref) return `<${r.Ref}>`;
  if (r['Fn::Join']) return (r['Fn::Join'][1] as unknown[]).map(renderResource).join(r['Fn::Join'][0]);
  return JSON.stringify(resource);
};

/** Flattens statements to one row per (action, resource), keeping the condition. */
export const grants = (statements: Statement[]) =>
  statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) =>
      list(s.Action).flatMap((action) =>
        list(s.Resource).map((resource) => ({
          action,
          resource: renderResource(resource),
          condition: s.Condition,
        })),
      ),
    );
