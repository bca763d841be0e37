/** Every log line carries the invocation's context, and never a caller number or a bearer token. */
import { jest } from '@jest/globals';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ForbiddenError } from '../../../functions/domain/errors.js';
import { httpRouter, route } from '../../../functions/http/router.js';

const captured: string[] = [];
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

beforeEach(() => {
  captured.length = 0;
  delete process.env.LOG_LEVEL;
  jest.spyOn(console, 'log').mockImplementation((line: string) => void captured.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void captured.push(line));
});
afterEach(() => jest.restoreAllMocks());

const handler = httpRouter({
  'GET /x': route({
    auth: 'none',
    run: async ({ query }) => {
      throw new ForbiddenError('s6.test-rule', `no access for ${query.caller} with Bearer ${TOKEN}`);
    },
  }),
  'GET /boom': route({
    auth: 'none',
    run: async () => {
      throw new Error(`lookup of +441632960123 failed, token ${TOKEN}`);
    },
  }),
});

const event = (path: string, correlationId: string) =>
  ({
    routeKey: `GET ${path}`,
    rawPath: path,
    headers: { 'x-correlation-id': correlationId, authorization: `Bearer ${TOKEN}` },
    queryStringParameters: { caller: '+441632960123' },
    requestContext: { requestId: 'apigw-1' },
  }) as unknown as APIGatewayProxyEventV2;
const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'crs-test' }) as Context;

describe('log lines', () => {
  it('carry the correlation id, the Lambda request id and the cold-start flag', async () => {
    // Act
    await handler(event('/x', 'corr-000001'), context('req-1'));
    await handler(event('/x', 'corr-000002'), context('req-2'));

    // Assert
    // EMF metric lines (the refusal's RequestsDenied) are not log lines.
    const lines = captured.map((l) => JSON.parse(l)).filter((l) => l.message !== undefined);
    expect(lines).toEqual([
      expect.objectContaining({ correlationId: 'corr-000001', requestId: 'req-1', coldStart: true }),
      expect.objectContaining({ correlationId: 'corr-000002', requestId: 'req-2', coldStart: false }),
    ]);
  });

  it('never contain a caller number or a bearer token', async () => {
    // Act
    await handler(event('/boom', 'corr-000003'), context('req-3'));

    // Assert
    expect(captured.length).toBeGreaterThan(0);
    expect(captured.join('\n')).not.toMatch(/441632960123|eyJhbGci/);
    expect(captured.join('\n')).toContain('[phone]');
  });
});
