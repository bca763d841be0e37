/**
 * The registers routes over in-memory port fakes (./fakes.ts): business cases (s.3), extensions
 * (s.4 d–e), who may read and write them. The store conditions the fakes assume are proved against
 * DynamoDB Local in test/integration/stores.test.ts.
 */
import { approvedArea, recordedExtension } from '../ingest/fixtures.js';
import { invoke } from '../support/http.js';
import { type RegistersWorld, registersWorld } from './fakes.js';

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

let world: RegistersWorld;
let handler: RegistersWorld['handler'];

describe('registers API', () => {
  beforeEach(() => {
    world = registersWorld();
    handler = world.handler;
  });

  it('answers GET /health without authentication', async () => {
    const reply = await invoke(handler, 'GET /health');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ ok: true });
  });

  it('approves a service area only when every part is present and the Director approved it as themselves', async () => {
    // Arrange
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
    expect(world.areas.get('revenues')).toMatchObject({ status: 'approved' });
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
    expect(world.writes).toBe(0);
  });

  it('keeps the approval over an unchanged resubmission and withdraws it when the case changes', async () => {
    // Arrange
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

  it('refuses with 409 an approval over a case the registrar changed meanwhile, and keeps the change', async () => {
    // Arrange
    const params = { id: 'revenues' };
    await invoke(handler, 'PUT /service-areas/{id}', {
      ...REGISTRAR,
      params,
      body: { name: 'Revenues', businessCase: fullCase },
    });
    world.beforeConditionalPut = (id) => {
      const current = world.areas.get(id);
      if (current) world.areas.set(id, { ...current, name: 'Revenues (renamed)', updatedAt: 'later' });
    };
    // Act
    const reply = await invoke(handler, 'POST /service-areas/{id}/approve', { ...DIRECTOR, params });
    // Assert
    expect(reply.status).toBe(409);
    expect(world.areas.get('revenues')).toMatchObject({ name: 'Revenues (renamed)', status: 'incomplete' });
  });

  it('refuses to approve an incomplete case with 422 naming the missing part', async () => {
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
    expect(world.writes).toBe(0);
  });

  it.each([
    ['a registrar', { groups: ['role:registrar'] }, 200],
    ['an IG officer', { groups: ['role:ig-officer'] }, 200],
    ['a listener of that area', { groups: ['area:revenues:listener'] }, 200],
    ['a listener of another area', { groups: ['area:housing:listener'] }, 403],
  ])('lets %s read a service area (%#)', async (_who, claims, status) => {
    world.areas.set('revenues', approvedArea);
    const reply = await invoke(handler, 'GET /service-areas/{id}', {
      staffId: 's1',
      ...claims,
      params: { id: 'revenues' },
    });
    expect(reply.status).toBe(status);
    expect(reply.json).toMatchObject(status === 200 ? { id: 'revenues', status: 'approved' } : {});
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
      world.areas.set('revenues', approvedArea);
    });

    it('registers an always-recorded, marked extension with its non-recorded pair', async () => {
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '4001' },
        body: { serviceArea: 'revenues', mode: 'always', marked: true, pairedUnrecorded: '4901' },
      });
      expect(reply.status).toBe(200);
      expect(world.extensions.get('4001')).toMatchObject({
        serviceArea: 'revenues',
        mode: 'always',
        pairedUnrecorded: '4901',
        updatedBy: 'reg-1',
      });
      expect(world.areaLists.get('revenues')?.get('4001')).toEqual({
        number: '4001',
        mode: 'always',
        marked: true,
        pairedUnrecorded: '4901',
      });
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
      expect(world.writes).toBe(0);
    });

    it('refuses a pair that is itself registered as recorded', async () => {
      world.extensions.set('4901', { ...recordedExtension, number: '4901', mode: 'on-demand' });
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
      expect(world.writes).toBe(0);
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
      world.extensions.set('4001', recordedExtension);
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
    type Listed = { id: string; number: string; status: string };
    const items = (json: Record<string, unknown>) => json.items as Listed[];
    const listed = (area: string, number: string) =>
      world.deps.areaExtensions.track(area, { number, mode: 'never', marked: true });
    const reads = (call: string) => world.calls.filter((c) => c === call);

    beforeEach(async () => {
      world.areas.set('revenues', approvedArea);
      world.areas.set('housing', housing);
      await listed('revenues', '4002');
      await listed('revenues', '4001');
      await listed('housing', '3001');
      await listed('housing', '3002');
      world.calls.length = 0;
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
      expect(reads('serviceAreas.list')).toHaveLength(1);
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
      expect(reads('serviceAreas.list')).toEqual([]);
    });

    it('refuses the list to someone with no register to read', async () => {
      const reply = await invoke(handler, 'GET /service-areas', { staffId: 'siro', groups: ['role:siro'] });
      expect([reply.status, reply.json.rule]).toEqual([403, 'registers.read']);
      expect(world.calls).toEqual([]);
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
      } else {
        expect(world.calls).toEqual([]);
      }
    });

    it('pages the extensions register with a cursor that continues the same area only', async () => {
      // Act
      const first = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', limit: '1' },
      });
      const next = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', cursor: String(first.json.cursor) },
      });
      const housing = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'housing', limit: '1' },
      });
      const elsewhere = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues', cursor: String(housing.json.cursor) },
      });
      // Assert
      expect(items(first.json).map((e) => e.number)).toEqual(['4001']);
      expect(typeof first.json.cursor).toBe('string');
      expect([next.status, items(next.json).map((e) => e.number)]).toEqual([200, ['4002']]);
      expect(next.json).not.toHaveProperty('cursor');
      expect([elsewhere.status, elsewhere.json.field]).toEqual([400, 'query.cursor']);
    });

    it('moves an extension to its new area’s list when its area changes', async () => {
      // Arrange
      world.extensions.set('4001', recordedExtension);
      // Act
      const reply = await invoke(handler, 'PUT /extensions/{number}', {
        ...REGISTRAR,
        params: { number: '4001' },
        body: { serviceArea: 'housing', mode: 'never', marked: false },
      });
      const revenues = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'revenues' },
      });
      const housingList = await invoke(handler, 'GET /extensions', {
        ...REGISTRAR,
        query: { serviceArea: 'housing' },
      });
      // Assert
      expect(reply.status).toBe(200);
      expect(items(revenues.json).map((e) => e.number)).toEqual(['4002']);
      expect(items(housingList.json).map((e) => e.number)).toEqual(['3001', '3002', '4001']);
    });

    it.each([
      ['no service area', {}, 'query.serviceArea'],
      ['a malformed service area', { serviceArea: 'Revenues!' }, 'query.serviceArea'],
      ['a limit of 0', { serviceArea: 'revenues', limit: '0' }, 'query.limit'],
      ['a limit over 200', { serviceArea: 'revenues', limit: '201' }, 'query.limit'],
    ])('refuses an extension list with %s, naming the field', async (_what, query, field) => {
      const reply = await invoke(handler, 'GET /extensions', { ...REGISTRAR, query });
      expect([reply.status, reply.json.field]).toEqual([400, field]);
      expect(world.calls).toEqual([]);
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
