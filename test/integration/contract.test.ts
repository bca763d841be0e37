/**
 * Contract test: drives every route of declarations/routes.ts on the local stack and validates
 * each answer against the committed OpenAPI document (docs/openapi.json, as served at /openapi.json):
 * the status must be one the document lists for the route, and a JSON body must match its schema (ajv,
 * JSON Schema 2020-12 as OpenAPI 3.1 uses). A route the test does not drive fails the last test.
 */
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { smallWav } from '../../bench/ingest-audio.js';
import { ROUTES, routeKey } from '../../declarations/routes.js';
import { type ApiResponse, baseUrl, type Caller, request, waitForQueues } from './support.js';

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, { content?: Record<string, unknown> }> };
}

let doc: Document;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats.default(ajv);
const driven = new Set<string>();

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Calls a route (`template` is its declared path) and checks the answer against the document. */
const call = async (
  caller: Caller,
  method: string,
  template: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<ApiResponse> => {
  const reply = await request(caller, method, path, body, headers);
  driven.add(`${method} ${template}`);
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${template} is not in docs/openapi.json`);
  const status = String(reply.status);
  const answer = operation.responses[status];
  if (!answer) {
    throw new Error(
      `${method} ${path} answered ${status}, which the document does not list: ${reply.text.slice(0, 300)}`,
    );
  }
  const type = (reply.headers.get('content-type') ?? '').split(';')[0] ?? '';
  const where = answer.$ref
    ? `#/${pointer('components', 'responses', answer.$ref.split('/').pop() ?? '')}`
    : `#/${pointer('paths', template, method.toLowerCase(), 'responses', status)}`;
  const content = answer.$ref
    ? doc.components.responses[answer.$ref.split('/').pop() ?? '']?.content
    : answer.content;
  if (reply.text === '') return reply;
  if (!content?.[type])
    throw new Error(`${method} ${path} ${status}: content type ${type} is not documented`);
  if (type === 'application/json') {
    const validate = ajv.getSchema(`openapi.json${where}/content/${pointer(type)}/schema`);
    if (!validate) throw new Error(`no schema at ${where}`);
    if (!validate(reply.json)) {
      throw new Error(
        `${method} ${path} ${status} does not match the document: ${ajv.errorsText(validate.errors)}\n${reply.text.slice(0, 500)}`,
      );
    }
  }
  return reply;
};

const AUDIO = smallWav(30);
const RUN = Date.now().toString(36);
const state: { callId: string; recordingId: string; releaseId: string; holdId: string } = {
  callId: `contract-${RUN}`,
  recordingId: '',
  releaseId: '',
  holdId: '',
};

beforeAll(async () => {
  const served = await fetch(`${baseUrl()}/openapi.json`);
  expect(served.status).toBe(200);
  doc = (await served.json()) as Document;
  ajv.addSchema(doc as unknown as Json, 'openapi.json');
});

describe('every route answers as docs/openapi.json says', () => {
  it('serves GET /health, the registers and staff notices', async () => {
    // 503 when a component is slow to answer on a busy machine: documented, and validated all the same.
    expect([200, 503]).toContain((await call(undefined, 'GET', '/health', '/health')).status);
    expect((await call('registrar', 'GET', '/service-areas/{id}', '/service-areas/revenues')).status).toBe(
      200,
    );
    expect(
      (await call('registrar', 'PUT', '/service-areas/{id}', '/service-areas/revenues', {})).status,
    ).toBe(400);
    const areas = await call('registrar', 'GET', '/service-areas', '/service-areas');
    expect((areas.json as { items: { id: string }[] }).items.map((a) => a.id)).toContain('revenues');
    const extensions = await call(
      'revenues-listener',
      'GET',
      '/extensions',
      '/extensions?serviceArea=revenues',
    );
    expect((extensions.json as { items: { number: string }[] }).items.map((e) => e.number)).toContain('2001');
    expect((await call('registrar', 'GET', '/extensions', '/extensions?limit=5')).status).toBe(400);
    expect((await call('registrar', 'GET', '/extensions/{number}', '/extensions/2001')).status).toBe(200);
    expect((await call('registrar', 'PUT', '/extensions/{number}', '/extensions/2001', {})).status).toBe(400);
    expect((await call('revenues-listener', 'POST', '/staff-notices', '/staff-notices', {})).status).toBe(
      400,
    );
    expect((await call('registrar', 'GET', '/staff-notices/due', '/staff-notices/due')).status).toBe(200);
  }, 120_000);

  it('serves the ingest routes', async () => {
    const registered = await call('telephony', 'POST', '/uploads', '/uploads', {
      callId: state.callId,
      serviceArea: 'revenues',
      extension: '2001',
      direction: 'inbound',
      startedAt: '2026-10-10T09:00:00+01:00',
      endedAt: '2026-10-10T09:00:30+01:00',
      agentId: 'agent-7',
      counterparty: '+441632960987',
      notification: { method: 'announcement' },
      abuseReminder: false,
      verificationReminder: false,
      pci: { pausedSegments: [], cardDataCaptured: false },
      audio: {
        format: 'wav',
        sizeBytes: AUDIO.length,
        sha256: createHash('sha256').update(AUDIO).digest('hex'),
      },
    });
    expect(registered.status).toBe(201);
    const { url, method, headers } = registered.json.upload;
    expect((await fetch(url, { method: method ?? 'PUT', headers, body: AUDIO })).ok).toBe(true);
    await waitForQueues(60_000);
    const status = await call('telephony', 'GET', '/uploads/{callId}', `/uploads/${state.callId}`);
    expect(status.json).toMatchObject({ status: 'ARCHIVED' });
    state.recordingId = status.json.recordingId;
    expect((await call('telephony', 'POST', '/uploads', '/uploads', {})).status).toBe(400);
  }, 120_000);

  it('serves search, playback, deletion and the audit log', async () => {
    const id = state.recordingId;
    expect(
      (await call('revenues-listener', 'GET', '/recordings', '/recordings?serviceArea=revenues')).status,
    ).toBe(200);
    expect((await call('revenues-listener', 'GET', '/recordings', '/recordings?limit=x')).status).toBe(400);
    expect((await call('revenues-listener', 'GET', '/recordings/{id}', `/recordings/${id}`)).status).toBe(
      200,
    );
    const purpose = { purpose: 'dispute-verification' };
    expect(
      (
        await call(
          'revenues-listener',
          'POST',
          '/recordings/{id}/playback',
          `/recordings/${id}/playback`,
          purpose,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          'housing-listener',
          'POST',
          '/recordings/{id}/playback',
          `/recordings/${id}/playback`,
          purpose,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await call(
          'revenues-nominated',
          'POST',
          '/recordings/{id}/download',
          `/recordings/${id}/download`,
          purpose,
        )
      ).status,
    ).toBe(200);
    const deleted = await call('revenues-nominated', 'DELETE', '/recordings/{id}', `/recordings/${id}`, {
      reason: 'contract test',
    });
    expect(deleted.status).toBe(422);
    expect(deleted.json.rule).toBe('s7.retain-12-months');
    expect((await call('ig-officer', 'GET', '/audit', `/audit?recordingId=${id}`)).status).toBe(200);
  }, 120_000);

  it('serves the release workflow and the Release of Recording Log', async () => {
    const requested = await call('housing-listener', 'POST', '/releases', '/releases', {
      recordingId: state.recordingId,
      destination: { kind: 'service-area', serviceArea: 'housing' },
      purpose: 'dispute-verification',
      justification: 'contract test',
    });
    expect(requested.status).toBe(201);
    const id = requested.json.releaseId as string;
    expect((await call('housing-listener', 'GET', '/releases', '/releases')).status).toBe(200);
    expect((await call('housing-listener', 'GET', '/releases/{id}', `/releases/${id}`)).status).toBe(200);
    expect(
      (await call('housing-listener', 'POST', '/releases/{id}/approve', `/releases/${id}/approve`)).status,
    ).toBe(403);
    expect(
      (await call('housing-listener', 'GET', '/releases/{id}/link', `/releases/${id}/link`)).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (await call('housing-listener', 'POST', '/releases/{id}/complete', `/releases/${id}/complete`)).status,
    ).toBeGreaterThanOrEqual(400);
    expect(
      (
        await call('revenues-manager', 'POST', '/releases/{id}/reject', `/releases/${id}/reject`, {
          reason: 'no',
        })
      ).status,
    ).toBe(200);
    expect((await call('release-log-keeper', 'GET', '/release-log', '/release-log')).status).toBe(200);
    const csv = await call('release-log-keeper', 'GET', '/release-log', '/release-log?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await call(undefined, 'GET', '/release-log/public-key', '/release-log/public-key')).status).toBe(
      401,
    );
    expect(
      (await call('release-log-keeper', 'GET', '/release-log/public-key', '/release-log/public-key')).status,
    ).toBe(200);
  }, 120_000);

  it('serves holds', async () => {
    const placed = await call('ig-officer', 'POST', '/holds', '/holds', {
      caseRef: `CONTRACT-${RUN}`,
      reason: 'contract test',
      reviewDate: '2027-01-01',
      scope: { recordingIds: [state.recordingId] },
    });
    expect([201, 202]).toContain(placed.status);
    const id = placed.json.holdId as string;
    expect((await call('ig-officer', 'GET', '/holds', '/holds')).status).toBe(200);
    expect((await call('ig-officer', 'GET', '/holds/{id}', `/holds/${id}`)).status).toBe(200);
    expect(
      (
        await call('ig-officer', 'POST', '/holds/{id}/review', `/holds/${id}/review`, {
          outcome: 'continue',
          nextReview: '2027-06-01',
        })
      ).status,
    ).toBe(200);
    expect(
      (await call('ig-officer', 'DELETE', '/holds/{id}', `/holds/${id}`, { reason: 'case closed' })).status,
    ).toBe(200);
  }, 120_000);

  it('serves the reports', async () => {
    for (const path of ['/reports/deletions', '/reports/retention', '/reports/compliance']) {
      expect((await call('ig-officer', 'GET', path, path)).status).toBeLessThan(500);
    }
  }, 120_000);

  it('serves who-am-I, the business-case approval, the audit export and IG advice', async () => {
    expect((await call('revenues-listener', 'GET', '/me', '/me')).status).toBe(200);
    const approve = await call(
      'revenues-listener',
      'POST',
      '/service-areas/{id}/approve',
      '/service-areas/revenues/approve',
    );
    expect(approve.status).toBe(403);
    expect((await call('ig-officer', 'GET', '/audit/export', '/audit/export?limit=5')).status).toBe(200);
    expect(
      (await call('revenues-listener', 'POST', '/ig-advice', '/ig-advice', {})).status,
    ).toBeGreaterThanOrEqual(400);
    expect((await call('ig-officer', 'GET', '/ig-advice/{id}', '/ig-advice/no-such-advice')).status).toBe(
      404,
    );
  }, 120_000);

  it('serves a subject access request from opening to its report', async () => {
    const sars = '/subject-access-requests';
    expect((await call('ig-officer', 'POST', sars, sars, {})).status).toBe(400);
    const opened = await call('ig-officer', 'POST', sars, sars, {
      requester: { name: 'Contract Caller' },
      identityChecks: [{ check: 'photo-id', detail: 'passport seen' }],
      callerNumbers: ['+441632960987'],
      from: '2026-10-10T07:59:00Z',
      to: '2026-10-10T08:01:00Z',
    });
    expect(opened.status).toBe(201);
    const id = opened.json.sarId as string;
    const one = `${sars}/{id}`;
    expect((await call('ig-officer', 'GET', one, `${sars}/${id}`)).status).toBe(200);
    expect((await call('ig-officer', 'POST', `${one}/extend`, `${sars}/${id}/extend`, {})).status).toBe(400);
    const found = await call('ig-officer', 'POST', `${one}/search`, `${sars}/${id}/search`);
    expect(found.status).toBe(200);
    const recordings = found.json.recordings as { recordingId: string }[];
    expect(recordings.map((r) => r.recordingId)).toContain(state.recordingId);
    const rec = `${one}/recordings/{recordingId}`;
    expect(
      (
        await call(
          'ig-officer',
          'POST',
          `${rec}/playback`,
          `${sars}/${id}/recordings/${state.recordingId}/playback`,
        )
      ).status,
    ).toBe(200);
    for (const r of recordings)
      expect(
        (
          await call('ig-officer', 'PUT', rec, `${sars}/${id}/recordings/${r.recordingId}`, {
            decision: 'disclose',
          })
        ).status,
      ).toBe(200);
    expect((await call('ig-officer', 'POST', `${one}/package`, `${sars}/${id}/package`)).status).toBe(201);
    expect(
      (await call('ig-officer', 'GET', `${one}/package/link`, `${sars}/${id}/package/link`)).status,
    ).toBe(200);
    const closed = await call('ig-officer', 'POST', `${one}/close`, `${sars}/${id}/close`, { note: 'sent' });
    expect(closed.json).toMatchObject({ state: 'CLOSED' });
    expect(
      (await call('ig-officer', 'GET', '/reports/subject-access', '/reports/subject-access')).status,
    ).toBe(200);
    expect(
      (await call('revenues-listener', 'GET', '/reports/subject-access', '/reports/subject-access')).status,
    ).toBe(403);
  }, 180_000);

  it('drove every route of the route table', () => {
    expect(ROUTES.map(routeKey).filter((key) => !driven.has(key))).toEqual([]);
  });
});
