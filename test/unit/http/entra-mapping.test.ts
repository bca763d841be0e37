/**
 * Issue 17, Entra ID: group object ids and app roles (`roles`) map to grants through `claimMapping`
 * (cdk.json → CLAIM_MAPPING); unknown values are ignored and logged once; a group-overage token and a
 * token that maps to nothing are refused, never turned into a partial principal.
 */
import { jest } from '@jest/globals';
import { ENV } from '../../../declarations/environment.js';

const HOUSING_LISTENERS = '3f2b8c1e-6a4d-4b7e-9c10-5d6e7f8a9b0c';
const REVENUES_MANAGERS = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const UNKNOWN_GROUP = 'ffffffff-0000-4000-8000-000000000000';
const MAPPING = {
  [HOUSING_LISTENERS]: 'area:housing:listener',
  [REVENUES_MANAGERS]: ['area:revenues:manager', 'area:revenues:listener'],
  'CRS.Siro': 'role:siro',
  'CRS.Staff': 'scope:crs/staff',
  'CRS.Ingest': 'scope:crs/ingest',
};
process.env[ENV.claimMapping] = JSON.stringify(MAPPING);
process.env[ENV.staffIdClaim] = 'oid';
process.env.LOG_LEVEL = 'silent';

const { parseClaimMapping, principalFromClaims } = await import('../../../functions/http/principal.js');
const { httpRouter, route } = await import('../../../functions/http/router.js');
const { invoke } = await import('../support/http.js');

const OID = '0b9f6e1a-2c3d-4e5f-8a9b-1c2d3e4f5a6b';
/** An Entra v2 access token for the API (delegated: a person), as API Gateway hands it over. */
const entraUser = (extra: Record<string, unknown> = {}) => ({
  aud: 'api://crs',
  iss: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  oid: OID,
  sub: 'pairwise-subject-for-this-app',
  tid: '9188040d-6c67-4c5b-b112-36a304b66dad',
  scp: 'access_as_user',
  ver: '2.0',
  ...extra,
});

const config = { staffIdClaim: 'oid', claimMapping: parseClaimMapping(JSON.stringify(MAPPING)) };

describe('Entra ID claim mapping', () => {
  it('maps group object ids and app roles to grants, roles and the caller scope', () => {
    // Act
    const p = principalFromClaims(
      entraUser({ groups: `[${HOUSING_LISTENERS} ${REVENUES_MANAGERS}]`, roles: '[CRS.Siro CRS.Staff]' }),
      config,
    );
    // Assert
    expect(p).toEqual({
      staffId: OID,
      grants: { housing: ['listener'], revenues: ['manager', 'listener'] },
      roles: ['siro'],
      scopes: ['access_as_user', 'crs/staff'],
    });
  });

  it('gives an app-only (client credentials) token its ingest scope from its app role', () => {
    const p = principalFromClaims(
      { aud: 'api://crs', oid: 'sp-telephony', roles: ['CRS.Ingest'], idtyp: 'app' },
      config,
    );
    expect(p.scopes).toEqual(['crs/ingest']);
    expect(p.grants).toEqual({});
  });

  it('grants nothing for group names: with a mapping only mapped values count', () => {
    expect(() =>
      principalFromClaims(entraUser({ groups: ['area:revenues:manager', 'role:siro'] }), config),
    ).toThrow(expect.objectContaining({ rule: 'auth.unmapped' }));
  });

  it('ignores unknown groups and logs each once', () => {
    // Arrange
    const warn = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    process.env.LOG_LEVEL = 'info';
    try {
      // Act
      for (let i = 0; i < 3; i += 1) {
        const p = principalFromClaims(
          entraUser({ groups: [UNKNOWN_GROUP, HOUSING_LISTENERS], roles: ['CRS.Staff'] }),
          config,
        );
        expect(p.grants).toEqual({ housing: ['listener'] });
      }
      // Assert
      const lines = warn.mock.calls.map(([line]) => String(line)).filter((l) => l.includes(UNKNOWN_GROUP));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', claimValue: UNKNOWN_GROUP });
    } finally {
      process.env.LOG_LEVEL = 'silent';
      warn.mockRestore();
    }
  });

  it.each([
    ['_claim_names as API Gateway hands it over', { _claim_names: '{"groups":"src1"}' }],
    ['_claim_names as an object', { _claim_names: { groups: 'src1' } }],
    ['hasgroups', { hasgroups: 'true' }],
  ])('refuses a group-overage token (%s), even when its app roles map', (_, overage) => {
    expect(() =>
      principalFromClaims(entraUser({ roles: ['CRS.Siro', 'CRS.Staff'], ...overage }), config),
    ).toThrow(expect.objectContaining({ rule: 'auth.group-overage' }));
  });

  it('rejects a mapping entry that is not a grant, role or crs scope', () => {
    expect(() => parseClaimMapping('{"g1": "area:revenues:owner"}')).toThrow(/g1/);
    expect(() => parseClaimMapping('{"g1": "role:mayor"}')).toThrow(/role:mayor/);
    expect(() => parseClaimMapping('{"g1": []}')).toThrow(/g1/);
  });
});

describe('Entra ID tokens through the HTTP router (CLAIM_MAPPING from the environment)', () => {
  const handler = httpRouter({
    'GET /recordings': route({
      run: async ({ principal }) => ({ status: 200, body: principal }),
    }),
  });

  it('answers with the mapped principal, keyed on the configured staff id claim', async () => {
    const reply = await invoke(handler, 'GET /recordings', {
      claims: entraUser({ groups: `[${REVENUES_MANAGERS}]`, roles: '[CRS.Staff]' }),
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ staffId: OID, grants: { revenues: ['manager', 'listener'] } });
  });

  it('answers 403 for a token that maps to nothing, and for one that maps only grants but no staff scope', async () => {
    const nothing = await invoke<{ rule: string }>(handler, 'GET /recordings', {
      claims: entraUser({ groups: [UNKNOWN_GROUP] }),
    });
    const noScope = await invoke<{ rule: string }>(handler, 'GET /recordings', {
      claims: entraUser({ groups: [HOUSING_LISTENERS] }),
    });
    const overage = await invoke<{ rule: string }>(handler, 'GET /recordings', {
      claims: entraUser({ roles: ['CRS.Staff'], _claim_names: '{groups=src1}' }),
    });
    expect([nothing.status, nothing.json.rule]).toEqual([403, 'auth.unmapped']);
    expect([noScope.status, noScope.json.rule]).toEqual([403, 'auth.caller-scope']);
    expect([overage.status, overage.json.rule]).toEqual([403, 'auth.group-overage']);
  });
});
