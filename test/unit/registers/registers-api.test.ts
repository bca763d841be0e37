import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { registerKeys } from '../../../functions/adapters/registers-store.js';
import { setIngestEnv } from '../ingest/env.js';
import { approvedArea, recordedExtension } from '../ingest/fixtures.js';
import { invoke } from '../support/http.js';

setIngestEnv();
const { handler } = await import('../../../functions/registers/handler.js');

const ddb = mockClient(DynamoDBDocumentClient);
const REGISTRAR = { staffId: 'reg-1', groups: ['role:registrar'] };
const confirmed = { confirmedBy: 'x', confirmedAt: '2026-01-01T00:00:00Z' };
const fullCase = {
  reason: 'verify agreements',
  itSecurity: { ...confirmed, pciDssCompliant: true },
  informationGovernance: { ...confirmed, piaReference: 'PIA-1' },
  hr: { ...confirmed, staffConsulted: true },
  accessLevels: [{ who: 'team', access: 'playback' }],
};
const DIRECTOR = { staffId: 'dcs-7', groups: ['role:director-corporate-services'] };

/** The registers table as a map, with the conditional put the approval relies on. */
const storeInMemory = () => {
  const items = new Map<string, Record<string, unknown>>();
  ddb.on(GetCommand).callsFake((input) => ({ Item: items.get(String(input.Key.pk)) }));
  ddb.on(PutCommand).callsFake((input) => {
    const current = items.get(String(input.Item.pk));
    if (input.ConditionExpression && current?.updatedAt !== input.ExpressionAttributeValues[':expected']) {
      throw Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' });
    }
    items.set(String(input.Item.pk), input.Item);
    return {};
  });
  return items;
};

const putItems = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);

describe('registers API', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
  });

  it('answers GET /health without authentication', async () => {
    const reply = await invoke(handler, 'GET /health');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true });
  });

  it('approves a service area only when every part is present and the Director approved it as themselves', async () => {
    // Arrange
    storeInMemory();
    const params = { id: 'revenues' };
    // Act
    const submitted = await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params,
      body: { name: 'Revenues', businessCase: fullCase },
    });
    const byRegistrar = await invoke(handler, 'POST /service-areas/{id}/approve', { ...REGISTRAR, params });
    const byDirector = await invoke(handler, 'POST /service-areas/{id}/approve', { ...DIRECTOR, params });
    // Assert
    expect(submitted.json).toMatchObject({
      status: 'incomplete',
      missing: ['Director of Corporate Services approval'],
    });
    expect([byRegistrar.status, byRegistrar.json.rule]).toEqual([403, 's3.director-approves']);
    expect(byDirector.status).toBe(200);
    expect(byDirector.json).toMatchObject({
      id: 'revenues',
      status: 'approved',
      missing: [],
      updatedBy: 'reg-1',
      businessCase: { directorApproval: { approvedBy: 'dcs-7' } },
    });
    expect(putItems().at(-1)).toMatchObject({ pk: 'AREA#revenues', status: 'approved' });
  });

  it('refuses a Director approval typed in by the registrar, naming the field (issue 11 item 9)', async () => {
    const reply = await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params: { id: 'revenues' },
      body: {
        name: 'Revenues',
        businessCase: {
          ...fullCase,
          directorApproval: { approvedBy: 'dcs', approvedAt: '2026-01-02T00:00:00Z' },
        },
      },
    });
    expect(reply.status).toBe(400);
    expect(String(reply.json.field)).toMatch(/^body\.businessCase/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('keeps the approval over an unchanged resubmission and withdraws it when the case changes', async () => {
    // Arrange
    storeInMemory();
    const params = { id: 'revenues' };
    const put = (businessCase: object) =>
      invoke(handler, 'PUT /service-areas/{id}', {
        ...REGISTRAR,
        params,
        body: { name: 'Revenues', businessCase },
      });
    await put(fullCase);
    await invoke(handler, 'POST /service-areas/{id}/approve', { ...DIRECTOR, params });
    // Act
    const same = await put({ ...fullCase, accessLevels: [{ access: 'playback', who: 'team' }] });
    const changed = await put({ ...fullCase, reason: 'something else entirely' });
    // Assert
    expect(same.json.status).toBe('approved');
    expect(changed.json).toMatchObject({
      status: 'incomplete',
      missing: ['Director of Corporate Services approval'],
    });
  });

  it('refuses to approve an incomplete case with 422 naming the missing part', async () => {
    storeInMemory();
    const { hr: _hr, ...partial } = fullCase;
    await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params: { id: 'revenues' },
      body: { name: 'Revenues', businessCase: partial },
    });
    const reply = await invoke(handler, 'POST /service-areas/{id}/approve', {
      ...DIRECTOR,
      params: { id: 'revenues' },
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 's3.business-case' });
    expect(String(reply.json.message)).toContain('s3.d');
  });

  it.each([
    ['reason', 's3.a'],
    ['itSecurity', 's3.b'],
    ['informationGovernance', 's3.c'],
    ['hr', 's3.d'],
    ['accessLevels', 's3.e'],
  ])('stores a case without %s as incomplete, naming the missing part', async (part, named) => {
    const { [part]: _dropped, ...partial } = fullCase as Record<string, unknown>;
    const reply = await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params: { id: 'revenues' },
      body: { name: 'Revenues', businessCase: partial },
    });
    expect(reply.json.status).toBe('incomplete');
    expect(String(reply.json.missing)).toContain(named);
  });

  it('counts an IT Security confirmation that denies PCI compliance as missing', async () => {
    const reply = await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params: { id: 'revenues' },
      body: {
        name: 'Revenues',
        businessCase: { ...fullCase, itSecurity: { ...confirmed, pciDssCompliant: false } },
      },
    });
    expect(reply.json.status).toBe('incomplete');
  });

  it('refuses register changes by anyone but a registrar', async () => {
    const reply = await invoke(handler, 'PUT /service-areas/{id}', {
      staffId: 'm1',
      groups: ['area:revenues:manager', 'role:ig-officer'],
      params: { id: 'revenues' },
      body: { name: 'Revenues', businessCase: fullCase },
    });
    expect(reply.status).toBe(403);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it.each([
    ['a registrar', { groups: ['role:registrar'] }, 200],
    ['an IG officer', { groups: ['role:ig-officer'] }, 200],
    ['a listener of that area', { groups: ['area:revenues:listener'] }, 200],
    ['a listener of another area', { groups: ['area:housing:listener'] }, 403],
  ])('lets %s read a service area (%#)', async (_who, claims, status) => {
    ddb
      .on(GetCommand, { Key: registerKeys.area('revenues') })
      .resolves({ Item: { ...registerKeys.area('revenues'), ...approvedArea } });
    const reply = await invoke(handler, 'GET /service-areas/{id}', {
      staffId: 's1',
      ...claims,
      params: { id: 'revenues' },
    });
    expect(reply.status).toBe(status);
    if (status === 200) expect(reply.json).not.toHaveProperty('pk');
  });

  it('answers 404 for an unknown service area', async () => {
    const reply = await invoke(handler, 'GET /service-areas/{id}', {
      ...REGISTRAR,
      params: { id: 'nowhere' },
    });
    expect(reply.status).toBe(404);
  });

  describe('extensions', () => {
    beforeEach(() => {
      ddb.on(GetCommand, { Key: registerKeys.area('revenues') }).resolves({ Item: approvedArea });
    });

    it('registers an always-recorded, marked extension with its non-recorded pair', async () => {
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '4001' },
        body: { serviceArea: 'revenues', mode: 'always', marked: true, pairedUnrecorded: '4901' },
      });
      expect(reply.status).toBe(200);
      expect(putItems()[0]).toMatchObject({ pk: 'EXT#4001', mode: 'always', pairedUnrecorded: '4901' });
    });

    it.each([
      [
        'an always-recorded extension without a non-recorded pair',
        { mode: 'always', marked: true },
        's4.e-paired-extension',
      ],
      ['a recorded extension that is not marked', { mode: 'on-demand', marked: false }, 's4.d-marked'],
      [
        'an extension paired with itself',
        { mode: 'always', marked: true, pairedUnrecorded: '4001' },
        's4.e-paired-extension',
      ],
    ])('refuses %s with 422', async (_what, body, rule) => {
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '4001' },
        body: { serviceArea: 'revenues', ...body },
      });
      expect(reply.status).toBe(422);
      expect(reply.json.rule).toBe(rule);
      expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    });

    it('refuses a pair that is itself registered as recorded', async () => {
      ddb
        .on(GetCommand, { Key: registerKeys.extension('4901') })
        .resolves({ Item: { ...recordedExtension, number: '4901', mode: 'on-demand' } });
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '4001' },
        body: { serviceArea: 'revenues', mode: 'always', marked: true, pairedUnrecorded: '4901' },
      });
      expect(reply.json.rule).toBe('s4.e-paired-extension');
    });

    it('refuses an extension in a service area that is not registered', async () => {
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '7001' },
        body: { serviceArea: 'parking', mode: 'never', marked: false },
      });
      expect(reply.status).toBe(422);
      expect(String(reply.json.message)).toContain('PUT /service-areas/parking');
    });

    it('refuses a malformed extension number with 400 naming the path parameter', async () => {
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '12ab' },
        body: { serviceArea: 'revenues', mode: 'never', marked: false },
      });
      expect(reply.status).toBe(400);
      expect(reply.json.field).toBe('path.number');
    });

    it('lets staff with a grant in the extension’s area read it, and no one else', async () => {
      ddb.on(GetCommand, { Key: registerKeys.extension('4001') }).resolves({ Item: recordedExtension });
      const own = await invoke(handler, 'GET /extensions/{number}', {
        staffId: 's',
        groups: ['area:revenues:nominated'],
        params: { number: '4001' },
      });
      const other = await invoke(handler, 'GET /extensions/{number}', {
        staffId: 's',
        groups: ['area:housing:nominated'],
        params: { number: '4001' },
      });
      expect(own.status).toBe(200);
      expect(own.json).toMatchObject({ number: '4001', serviceArea: 'revenues' });
      expect(other.status).toBe(403);
    });
  });
});
