import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROUTES, type RouteDeclaration } from '../../../declarations/routes.js';
import { principalFromClaims } from '../../../functions/http/principal.js';
import {
  buildEvent,
  compileRoute,
  matchRoute,
  responseFromResult,
  stringifyClaim,
  stringifyClaims,
} from '../../../local/apigw.js';
import { PERSONAS } from '../../../local/personas.js';

const routes = ROUTES.map(compileRoute);

const request = (over: Partial<Parameters<typeof buildEvent>[0]> = {}) => ({
  method: 'GET',
  rawPath: '/recordings/rec%201',
  rawQueryString: 'serviceArea=revenues&tag=a&tag=b',
  headers: { 'content-type': 'application/json', 'X-Custom': 'v', cookie: 'a=1; b=2' },
  body: Buffer.alloc(0),
  sourceIp: '127.0.0.1',
  ...over,
});

const eventFor = (
  path: string,
  over: Partial<Parameters<typeof buildEvent>[0]> = {},
  claims?: Record<string, unknown>,
) => {
  const req = request({ rawPath: path, ...over });
  const matched = matchRoute(routes, req.method, req.rawPath.split('?')[0] ?? '');
  if (!matched) throw new Error(`no route for ${req.method} ${path}`);
  return buildEvent(req, matched, {
    claims,
    requestId: 'req-1',
    host: '127.0.0.1:4000',
    now: new Date(Date.UTC(2026, 2, 12, 19, 3, 58)),
  });
};

describe('route matching', () => {
  it('matches a parameterised route and decodes its path parameters', () => {
    // Act
    const matched = matchRoute(routes, 'GET', '/recordings/rec%201');

    // Assert
    expect(matched?.route.routeKey).toBe('GET /recordings/{id}');
    expect(matched?.pathParameters).toEqual({ id: 'rec 1' });
  });

  it('prefers a literal segment to a parameter, as API Gateway does', () => {
    // Arrange
    const table: RouteDeclaration[] = [
      { method: 'GET', path: '/staff-notices/{id}', function: 'registers', auth: 'jwt' },
      { method: 'GET', path: '/staff-notices/due', function: 'registers', auth: 'jwt' },
    ];

    // Act
    const matched = matchRoute(table.map(compileRoute), 'GET', '/staff-notices/due');

    // Assert
    expect(matched?.route.routeKey).toBe('GET /staff-notices/due');
  });

  it('does not match a declared path with another method, or a deeper path', () => {
    expect(matchRoute(routes, 'PATCH', '/recordings/abc')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/recordings/abc/extra')).toBeUndefined();
  });
});

describe('the payload 2.0 event', () => {
  it('carries the route key, raw path, decoded path parameters and joined query values', () => {
    // Act
    const event = eventFor('/recordings/rec%201');

    // Assert
    expect(event).toEqual(
      expect.objectContaining({
        version: '2.0',
        routeKey: 'GET /recordings/{id}',
        rawPath: '/recordings/rec%201',
        rawQueryString: 'serviceArea=revenues&tag=a&tag=b',
        pathParameters: { id: 'rec 1' },
        queryStringParameters: { serviceArea: 'revenues', tag: 'a,b' },
        cookies: ['a=1', 'b=2'],
        isBase64Encoded: false,
      }),
    );
    expect(event.requestContext).toEqual(
      expect.objectContaining({
        requestId: 'req-1',
        routeKey: 'GET /recordings/{id}',
        stage: '$default',
        time: '12/Mar/2026:19:03:58 +0000',
        http: expect.objectContaining({ method: 'GET', path: '/recordings/rec%201', sourceIp: '127.0.0.1' }),
      }),
    );
  });

  it('lower-cases header names and leaves the cookie header out', () => {
    // Act
    const event = eventFor('/recordings/x');

    // Assert
    expect(event.headers['x-custom']).toBe('v');
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers.cookie).toBeUndefined();
  });

  it('omits body, query and path parameters when there are none', () => {
    // Act
    const event = eventFor('/health', { rawQueryString: '' });

    // Assert
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('passes a JSON body as text and a binary body as base64', () => {
    // Act
    const json = eventFor('/releases', { method: 'POST', body: Buffer.from('{"a":1}') });
    const binary = eventFor('/releases', {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: Buffer.from([0, 1, 2]),
    });

    // Assert
    expect(json.body).toBe('{"a":1}');
    expect(json.isBase64Encoded).toBe(false);
    expect(binary.body).toBe('AAEC');
    expect(binary.isBase64Encoded).toBe(true);
  });
});

describe('JWT claims', () => {
  it('are strings as API Gateway hands them over: arrays as "[a b]", numbers as text', () => {
    expect(stringifyClaim(['area:revenues:listener', 'role:siro'])).toBe(
      '[area:revenues:listener role:siro]',
    );
    expect(stringifyClaim(1_700_000_000)).toBe('1700000000');
    expect(stringifyClaim(true)).toBe('true');
    expect(stringifyClaim('crs/ingest')).toBe('crs/ingest');
  });

  it('give the http layer the persona’s grants and roles', () => {
    // Arrange
    const persona = PERSONAS['revenues-nominated'];
    const claims = {
      sub: persona.staffId,
      staff_id: persona.staffId,
      groups: [...persona.groups, 'role:siro'],
      exp: 1,
    };

    // Act
    const event = eventFor('/recordings/x', {}, claims) as APIGatewayProxyEventV2 & {
      requestContext: { authorizer: { jwt: { claims: Record<string, string>; scopes: null } } };
    };
    const principal = principalFromClaims(event.requestContext.authorizer.jwt.claims);

    // Assert
    expect(event.requestContext.authorizer.jwt.claims).toEqual(stringifyClaims(claims));
    expect(event.requestContext.authorizer.jwt.scopes).toBeNull();
    expect(principal.staffId).toBe('staff-revenues-nominated');
    expect(principal.grants).toEqual({ revenues: ['nominated'] });
    expect(principal.roles).toEqual(['siro']);
  });

  it('give the telephony client its ingest scope', () => {
    // Arrange
    const persona = PERSONAS.telephony;

    // Act
    const event = eventFor(
      '/uploads',
      { method: 'POST' },
      { sub: persona.staffId, scope: persona.scope, client_id: persona.staffId },
    );
    const principal = principalFromClaims(
      (event.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, string> } } })
        .authorizer.jwt.claims,
    );

    // Assert
    expect(principal.scopes).toEqual(['crs/ingest']);
    expect(principal.grants).toEqual({});
  });
});

describe('the function result', () => {
  it('is the response when it has a statusCode', () => {
    // Act
    const response = responseFromResult({ statusCode: 201, headers: { 'X-A': 'b' }, body: '{"ok":true}' });

    // Assert
    expect(response.status).toBe(201);
    expect(response.headers).toEqual({ 'x-a': 'b' });
    expect(response.body.toString()).toBe('{"ok":true}');
  });

  it('is JSON with status 200 when it has none', () => {
    // Act
    const response = responseFromResult({ items: [] });

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body.toString())).toEqual({ items: [] });
  });

  it('decodes a base64 body', () => {
    expect(responseFromResult({ statusCode: 200, body: 'AAEC', isBase64Encoded: true }).body).toEqual(
      Buffer.from([0, 1, 2]),
    );
  });

  it('is a 500 when the status code is not a number', () => {
    expect(responseFromResult({ statusCode: 'oops' }).status).toBe(500);
  });
});
