/**
 * docs/openapi.json is generated (`npm run openapi`); this fails when the code and the committed
 * document differ: a route added to declarations/routes.ts, a changed zod schema, a new rule id or
 * error shape. Fix: run `npm run openapi` and commit the document (adding the route's success answers to
 * openapi/responses.ts if the generator asks for them).
 */
import { readFileSync } from 'node:fs';
import { ROUTES, routeKey } from '../../../declarations/routes.js';
import {
  buildDocument,
  DOCUMENT_PATH,
  loadRouteTables,
  type RouteTables,
  renderDocument,
} from '../../../openapi/document.js';

let tables: RouteTables;
const committed = (): {
  paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
} => JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));

beforeAll(async () => {
  tables = await loadRouteTables();
}, 60_000);

describe('the OpenAPI document', () => {
  it('is what `npm run openapi` generates from the code today', () => {
    // Arrange
    const generated = renderDocument(buildDocument(tables));

    // Act
    const onDisk = readFileSync(DOCUMENT_PATH, 'utf8');

    // Assert
    expect(onDisk).toBe(generated);
  });

  it('describes every route of the route table, with its auth', () => {
    // Arrange
    const { paths } = committed();

    // Act
    const missing = ROUTES.filter((r) => !paths[r.path]?.[r.method.toLowerCase()]).map(routeKey);
    const wrongAuth = ROUTES.filter((r) => {
      const op = paths[r.path]?.[r.method.toLowerCase()];
      return op && (r.auth === 'jwt') !== op.security.length > 0;
    }).map(routeKey);

    // Assert
    expect(missing).toEqual([]);
    expect(wrongAuth).toEqual([]);
  });

  it('names the field on 400, the rule on 403 and 422, and the correlation id on 500', () => {
    // Arrange
    const { schemas } = committed().components;

    // Act
    const required = (id: string) => schemas[id]?.required ?? [];

    // Assert
    expect(required('ValidationErrorBody')).toEqual(expect.arrayContaining(['field', 'correlationId']));
    expect(required('ForbiddenErrorBody')).toEqual(expect.arrayContaining(['rule', 'correlationId']));
    expect(required('PolicyRefusalErrorBody')).toEqual(expect.arrayContaining(['rule', 'correlationId']));
    expect(required('InternalErrorBody')).toEqual(expect.arrayContaining(['error', 'correlationId']));
    expect(JSON.stringify(schemas.Error)).toContain('s7.no-deletion-under-hold');
  });

  it('refuses to generate without a route the route table declares', () => {
    // Arrange
    const first = ROUTES[0];
    if (!first) throw new Error('no routes');
    const withoutFirst = new Map(
      [...tables].map(([fn, routes]) => [
        fn,
        Object.fromEntries(Object.entries(routes).filter(([key]) => key !== routeKey(first))),
      ]),
    );

    // Act / Assert
    expect(() => buildDocument(withoutFirst)).toThrow(routeKey(first));
  });
});
