/**
 * The OpenAPI 3.1 document of the HTTP API, generated from what the code already declares:
 *   - the routes, their auth and functions: declarations/routes.ts (the CDK API builds from it);
 *   - each route's path, query and body schemas: the zod schemas its handler validates with
 *     (`httpRouter` attaches its route table to the handler as `routes`);
 *   - each route's success answers: openapi/responses.ts;
 *   - the one error shape: functions/http/errors.ts, with the policy rule ids found in functions/.
 * zod-openapi (v5, on zod 4's own JSON Schema output) turns the schemas into OpenAPI.
 *
 *   npm run openapi      writes docs/openapi.json
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { FUNCTIONS, type FunctionId } from '../declarations/functions.js';
import { ROUTES, type RouteDeclaration, routeKey } from '../declarations/routes.js';
import type { AnyRoute } from '../functions/http/router.js';
import { configFromEnv, handlerEnvironment, REPO_ROOT } from '../local/config.js';
import { RESPONSES } from './responses.js';

export const DOCUMENT_PATH = join(REPO_ROOT, 'docs', 'openapi.json');

export type RouteTables = ReadonlyMap<FunctionId, Readonly<Record<string, AnyRoute>>>;

/**
 * Imports every function that serves a route and reads the route table off its handler. Handlers read
 * their environment at import, so this sets the local stack's (nothing is contacted).
 */
export const loadRouteTables = async (): Promise<RouteTables> => {
  Object.assign(process.env, {
    ...handlerEnvironment(
      configFromEnv({}),
      { recordings: 'openapi', signing: 'openapi', hmac: 'openapi' },
      {},
    ),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  });
  const tables = new Map<FunctionId, Readonly<Record<string, AnyRoute>>>();
  for (const id of new Set(ROUTES.map((r) => r.function))) {
    const fn = FUNCTIONS.find((f) => f.id === id);
    if (!fn) throw new Error(`routes.ts names function ${id}, which functions.ts does not declare`);
    const module = (await import(pathToFileURL(join(REPO_ROOT, fn.entry)).href)) as {
      handler?: { routes?: Readonly<Record<string, AnyRoute>> };
    };
    const routes = module.handler?.routes;
    if (!routes) throw new Error(`${fn.entry}: its handler has no route table (build it with httpRouter)`);
    tables.set(id, routes);
  }
  return tables;
};

/** Policy rule ids the code refuses with (ForbiddenError / PolicyRefusalError / `rule: '…'`). */
export const policyRuleIds = (root = join(REPO_ROOT, 'functions')): string[] => {
  const pattern = /(?:(?:ForbiddenError|PolicyRefusalError)\(\s*|\brule:\s*)'([a-z0-9][a-z0-9.-]*)'/g;
  const ids = new Set<string>();
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(pattern)) if (m[1]) ids.add(m[1]);
  }
  return [...ids].sort();
};

const errorBody = (rules: readonly string[]) =>
  z
    .looseObject({
      error: z.string().meta({ description: 'The error class, e.g. ValidationError, PolicyRefusalError' }),
      message: z.string(),
      field: z
        .string()
        .optional()
        .meta({ description: '400: the first field in error (path.x, query.x, body.x)' }),
      issues: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: '400: every field in error' }),
      rule: z
        .string()
        .optional()
        .meta({ description: '403/422: the policy rule that refused the request', examples: [...rules] }),
      correlationId: z.string().meta({ description: 'Quote it to find the request in the logs' }),
    })
    .meta({ id: 'Error' });

const errorResponses = (rules: readonly string[]) => {
  const body = errorBody(rules);
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const gateway = z.looseObject({ message: z.string() }).meta({ id: 'GatewayError' });
  return {
    '400': {
      description: 'Bad input: `field` (and `issues`) name the field and what was expected',
      ...json(body.extend({ field: z.string(), error: z.string() }).meta({ id: 'ValidationErrorBody' })),
    },
    '401': {
      description: 'No valid bearer token (the API Gateway JWT authorizer, or no usable identity)',
      ...json(gateway),
    },
    '403': {
      description: 'The policy does not allow this caller: `rule` names the policy rule',
      ...json(body.extend({ rule: z.string() }).meta({ id: 'ForbiddenErrorBody' })),
    },
    '404': { description: 'Not found', ...json(gateway) },
    '409': { description: 'The request contradicts the stored state', ...json(body) },
    '422': {
      description: 'Well-formed, but the policy refuses it: `rule` names the policy rule',
      ...json(body.extend({ rule: z.string() }).meta({ id: 'PolicyRefusalErrorBody' })),
    },
    '500': {
      description: 'Unknown failure: a generic message and the correlation id (the details are in the logs)',
      ...json(body.extend({ error: z.literal('InternalError') }).meta({ id: 'InternalErrorBody' })),
    },
  } as const;
};

const pathParamsOf = (path: string): string[] => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

const operation = (
  declaration: RouteDeclaration,
  handlerRoute: AnyRoute,
  errors: ReturnType<typeof errorResponses>,
): ZodOpenApiOperationObject => {
  const key = routeKey(declaration);
  const success = RESPONSES[key];
  if (!success) throw new Error(`${key}: add its success responses to openapi/responses.ts`);
  const params =
    handlerRoute.params ??
    (pathParamsOf(declaration.path).length
      ? z.object(Object.fromEntries(pathParamsOf(declaration.path).map((p) => [p, z.string()])))
      : undefined);
  const responses: Record<string, ZodOpenApiResponseObject | { $ref: string }> = {};
  for (const [status, answer] of Object.entries(success)) {
    const content: Record<string, { schema: z.ZodType }> = {};
    if (answer.schema) content['application/json'] = { schema: answer.schema };
    for (const type of answer.alternatives ?? []) content[type] = { schema: z.string() };
    responses[status] = {
      description: answer.description,
      headers: { 'x-correlation-id': { schema: { type: 'string' }, description: 'The correlation id' } },
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  const errorStatuses =
    declaration.auth === 'jwt' ? Object.keys(errors) : Object.keys(errors).filter((s) => s !== '401');
  for (const status of errorStatuses) responses[status] = { $ref: `#/components/responses/Error${status}` };
  return {
    operationId: `${declaration.method.toLowerCase()}${declaration.path
      .split('/')
      .map((part) => part.replace(/[{}]/g, ''))
      .map((part) => part.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()))
      .join('')}`,
    tags: [declaration.function],
    ...(declaration.auth === 'jwt' ? { security: [{ bearer: [] }] } : { security: [] }),
    requestParams: {
      ...(params ? { path: params as z.ZodObject } : {}),
      ...(handlerRoute.query ? { query: handlerRoute.query as z.ZodObject } : {}),
    },
    ...(handlerRoute.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: handlerRoute.body } } } }
      : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
};

export const buildDocument = (tables: RouteTables, rules = policyRuleIds()) => {
  const errors = errorResponses(rules);
  const paths: ZodOpenApiPathsObject = {};
  for (const declaration of ROUTES) {
    const key = routeKey(declaration);
    const handlerRoute = tables.get(declaration.function)?.[key];
    if (!handlerRoute) throw new Error(`${key}: the ${declaration.function} handler has no route for it`);
    const method = declaration.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    paths[declaration.path] = {
      ...paths[declaration.path],
      [method]: operation(declaration, handlerRoute, errors),
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Call Recording Governance API',
      version: '1',
      description:
        'Generated by `npm run openapi` from the route table and the handlers’ zod schemas; do not edit by hand.',
    },
    servers: [{ url: '/', description: 'The API Gateway stage (or the local gateway)' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OIDC access token' },
      },
      responses: Object.fromEntries(Object.entries(errors).map(([status, r]) => [`Error${status}`, r])),
    },
    paths,
  });
};

/** The document as written to docs/openapi.json (stable key order, trailing newline). */
export const renderDocument = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;
