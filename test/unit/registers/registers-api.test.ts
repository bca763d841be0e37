import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { registerKeys, serviceAreaListKeys } from '../../../functions/adapters/registers-store.js';
import { encodeCursor } from '../../../functions/platform/page-cursor.js';
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

  describe('listing the registers', () => {
    const housing = { ...approvedArea, id: 'housing', name: 'Housing' };
    const stored = (area: typeof approvedArea) => ({
      ...registerKeys.area(area.id),
      ...serviceAreaListKeys(area.id),
      kind: 'service-area',
      ...area,
    });
    type Listed = { id: string; number: string; status: string };
    const items = (json: Record<string, unknown>) => json.items as Listed[];
    const extensionRow = (area: string, number: string) => ({
      pk: `EXTS#${area}`,
      sk: number,
      number,
      mode: 'never',
      marked: true,
    });

    beforeEach(() => {
      // The registers table as DynamoDB would answer: the area list index, and each area's extensions.
      ddb.on(QueryCommand).callsFake((input) => {
        const pk = String(Object.values(input.ExpressionAttributeValues ?? {})[0]);
        if (input.IndexName === 'gsi1' && pk === 'SERVICE-AREAS')
          return { Items: [stored(housing), stored(approvedArea)] };
        if (pk === 'EXTS#revenues') {
          return {
            Items: [extensionRow('revenues', '4001'), extensionRow('revenues', '4002')].slice(0, input.Limit),
            LastEvaluatedKey: input.Limit === 1 ? { pk, sk: '4001' } : undefined,
          };
        }
        return { Items: [] };
      });
      ddb.on(GetCommand, { Key: registerKeys.area('revenues') }).resolves({ Item: stored(approvedArea) });
    });

    it.each([
      ['a registrar', ['role:registrar']],
      ['an IG officer', ['role:ig-officer']],
    ])('lists every service area with its business-case state to %s', async (_who, groups) => {
      const reply = await invoke(handler, 'GET /service-areas', { staffId: 's1', groups });
      expect(reply.status).toBe(200);
      expect(reply.json.serviceAreas).toBe('all');
      expect(items(reply.json).map((a) => [a.id, a.status])).toEqual([
        ['housing', 'approved'],
        ['revenues', 'approved'],
      ]);
      expect(items(reply.json)[0]).not.toHaveProperty('gsi1pk');
    });

    it('lists to staff with grants only the areas they work in', async () => {
      const reply = await invoke(handler, 'GET /service-areas', {
        staffId: 'm1',
        groups: ['area:revenues:manager', 'area:parking:listener'],
      });
      expect(reply.status).toBe(200);
      expect(reply.json.serviceAreas).toEqual(['parking', 'revenues']);
      // parking is not registered: it is left out, never invented.
      expect(items(reply.json).map((a) => a.id)).toEqual(['revenues']);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it('refuses the list to someone with no register to read', async () => {
      const reply = await invoke(handler, 'GET /service-areas', { staffId: 'siro', groups: ['role:siro'] });
      expect([reply.status, reply.json.rule]).toEqual([403, 'registers.read']);
      expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    });

    it('refuses an unknown query parameter on the service-area list with 400', async () => {
      const reply = await invoke(handler, 'GET /service-areas', { ...REGISTRAR, query: { area: 'x' } });
      expect(reply.status).toBe(400);
      expect(JSON.stringify(reply.json)).toContain('area');
    });

    it.each([
      ['a registrar', ['role:registrar'], 200],
      ['a listener of that area', ['area:revenues:listener'], 200],
      ['a listener of another area', ['area:housing:listener'], 403],
      ['a corporate approver without a grant there', ['role:chief-executive'], 403],
    ])('lets %s list the extensions of an area (%#)', async (_who, groups, status) => {
      const reply = await invoke(handler, 'GET /extensions', {
        staffId: 's1',
        groups,
        query: { serviceArea: 'revenues' },
      });
      expect(reply.status).toBe(status);
      if (status === 200) {
        expect(reply.json).toMatchObject({ serviceArea: 'revenues' });
        expect(items(reply.json).map((e) => e.number)).toEqual(['4001', '4002']);
        expect(items(reply.json)[0]).not.toHaveProperty('pk');
      } else {
        expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
      }
    });

    it('pages the extensions register with a cursor that continues the same area only', async () => {
      const first = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', limit: '1' },
      });
      const next = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', cursor: String(first.json.cursor) },
      });
      const elsewhere = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', cursor: encodeCursor({ pk: 'EXTS#housing', sk: '3001' }) },
      });
      expect(items(first.json)).toHaveLength(1);
      expect(typeof first.json.cursor).toBe('string');
      expect(next.status).toBe(200);
      expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
        pk: 'EXTS#revenues',
        sk: '4001',
      });
      expect([elsewhere.status, elsewhere.json.field]).toEqual([400, 'query.cursor']);
    });

    it.each([
      ['no service area', {}, 'query.serviceArea'],
      ['a malformed service area', { serviceArea: 'Revenues!' }, 'query.serviceArea'],
      ['a limit of 0', { serviceArea: 'revenues', limit: '0' }, 'query.limit'],
      ['a limit over 200', { serviceArea: 'revenues', limit: '201' }, 'query.limit'],
    ])('refuses an extension list with %s, naming the field', async (_what, query, field) => {
      const reply = await invoke(handler, 'GET /extensions', { ...REGISTRAR, query });
      expect([reply.status, reply.json.field]).toEqual([400, field]);
    });

    it('answers 404 for the extensions of an unregistered area', async () => {
      const reply = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'parking' },
      });
      expect(reply.status).toBe(404);
    });
  });
});
