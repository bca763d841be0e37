import * as z from 'zod';
import { ForbiddenError } from '../../../functions/domain/errors.js';
import { httpRouter, route } from '../../../functions/http/router.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const seen: { staffId: string; body: unknown }[] = [];
const handler = httpRouter({
  'POST /things': route({
    body: z.object({ name: z.string().min(1), count: z.number().int() }),
    run: async ({ body, principal }) => {
      seen.push({ staffId: principal.staffId, body });
      return { status: 201, body: { ok: true, grants: principal.grants, roles: principal.roles } };
    },
  }),
  'GET /forbidden': route({
    run: async () => {
      throw new ForbiddenError('s6.playback', 'listener grant required');
    },
  }),
  'GET /boom': route({
    run: async () => {
      throw new Error('database password is hunter2');
    },
  }),
  'GET /health': route({ auth: 'none', run: async () => ({ status: 200, body: { ok: true } }) }),
});

describe('http router', () => {
  beforeEach(() => {
    seen.length = 0;
  });

  it('passes a valid body and the principal from API Gateway string-encoded group claims to the route', async () => {
    // Act
    const reply = await invoke(handler, 'POST /things', {
      staffId: 's1',
      groups: ['area:revenues:listener', 'role:siro', 'role:not-a-role'],
      body: { name: 'a', count: 2 },
    });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ grants: { revenues: ['listener'] }, roles: ['siro'] });
    expect(seen).toEqual([{ staffId: 's1', body: { name: 'a', count: 2 } }]);
  });

  it('refuses a body field of the wrong type with 400 naming the field, and never runs the use case', async () => {
    const reply = await invoke(handler, 'POST /things', { staffId: 's1', body: { name: 'a', count: 'two' } });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'RequestValidationError', field: 'body.count' });
    expect(String(reply.json.message)).toMatch(/number/);
    expect(seen).toHaveLength(0);
  });

  it('refuses malformed JSON with 400 on the body', async () => {
    const reply = await invoke(handler, 'POST /things', { staffId: 's1', rawBody: '{"name":' });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field: 'body' });
  });

  it('answers 401 when a protected route has no verified identity', async () => {
    const reply = await invoke(handler, 'POST /things', { body: { name: 'a', count: 1 } });
    expect(reply.status).toBe(401);
  });

  it('maps a policy refusal to 403 with the rule', async () => {
    const reply = await invoke(handler, 'GET /forbidden', { staffId: 's1' });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 's6.playback', message: 'listener grant required' });
  });

  it('hides unknown failures behind a generic 500 that carries the correlation id', async () => {
    const reply = await invoke(handler, 'GET /boom', {
      staffId: 's1',
      headers: { 'x-correlation-id': 'corr-12345678' },
    });
    expect(reply.status).toBe(500);
    expect(reply.text).not.toContain('hunter2');
    expect(reply.json).toMatchObject({ error: 'InternalError', correlationId: 'corr-12345678' });
    expect(reply.headers['x-correlation-id']).toBe('corr-12345678');
  });

  it('sets security and no-store headers and a correlation id on every response', async () => {
    const reply = await invoke(handler, 'GET /health');
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-correlation-id']).toEqual(expect.any(String));
    expect(reply.headers['strict-transport-security']).toBeDefined();
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for a route key it does not serve', async () => {
    const reply = await invoke(handler, 'GET /nowhere', { staffId: 's1' });
    expect(reply.status).toBe(404);
  });
});
