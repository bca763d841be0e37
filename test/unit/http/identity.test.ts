/**
 * Issue 11 item 2: one staff identity per person, whatever token they send. Cognito issues a person an
 * access token (`sub`, `username`, `scope`, no custom attributes) and an ID token (`sub`,
 * `cognito:username`, `custom:staff_id`, `aud`); both are signed by the pool the API trusts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { PORTAL_SCOPE } from '../../../declarations/portal.js';
import { declarationOf, ROUTES } from '../../../declarations/routes.js';
import { principalFromClaims } from '../../../functions/http/principal.js';
import { httpRouter, route } from '../../../functions/http/router.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { startIssuer } from '../../../local/issuer.js';
import { RECORDING, testDeps } from '../release/fakes.js';
import { invoke } from '../support/http.js';

process.env.LOG_LEVEL = 'silent';

const SUB = '7c5e1a2b-9d40-4f3e-8a61-2b3c4d5e6f70';
// Pat listens in housing and manages revenues: may request a revenues recording for housing, and
// (were they someone else) approve such a request.
const GROUPS = '[area:housing:listener area:revenues:manager]';

/** Claims of a Cognito access token, as API Gateway hands them to the function. */
const ACCESS_TOKEN = {
  sub: SUB,
  username: SUB,
  'cognito:groups': GROUPS,
  scope: 'openid email profile crs/staff',
  token_use: 'access',
  client_id: 'staffclient123',
  iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_abc',
};
/** The same person's access token from the staff portal's own app client (infra: PortalClient). */
const PORTAL_ACCESS_TOKEN = { ...ACCESS_TOKEN, scope: PORTAL_SCOPE, client_id: 'portalclient456' };
/** Claims of the same person's Cognito ID token. */
const ID_TOKEN = {
  sub: SUB,
  'cognito:username': SUB,
  'custom:staff_id': 'S-1042',
  'cognito:groups': GROUPS,
  email: 'pat@council.example',
  aud: 'staffclient123',
  token_use: 'id',
  iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_abc',
};

const REQUEST = {
  recordingId: RECORDING.recordingId,
  destination: { kind: 'service-area', serviceArea: 'housing' },
  purpose: 'dispute-verification',
  justification: 'Complaint C-123 about a council tax call',
};

describe('one identity per person (Cognito access and ID tokens)', () => {
  it('refuses self-approval whichever token the requester sends, and logs one actor', async () => {
    // Arrange
    const { deps, log, copies } = testDeps();
    const handler = releaseRoutes(deps);
    const created = await invoke<{ releaseId: string }>(handler, 'POST /releases', {
      claims: ACCESS_TOKEN,
      body: REQUEST,
    });
    expect(created.status).toBe(201);
    const params = { id: created.json.releaseId };

    // Act
    const withIdToken = await invoke<{ rule?: string }>(handler, 'POST /releases/{id}/approve', {
      claims: ID_TOKEN,
      params,
    });
    const withAccessToken = await invoke<{ rule?: string }>(handler, 'POST /releases/{id}/approve', {
      claims: ACCESS_TOKEN,
      params,
    });

    // Assert
    expect(withIdToken.status).toBe(401);
    expect(withAccessToken.status).toBe(403);
    expect(withAccessToken.json.rule).toBe('s6.no-self-approval');
    expect(copies.objects.size).toBe(0);
    const entries = await log.entries();
    expect(entries.map((e) => e.payload.event)).toEqual(['REQUESTED']);
    expect(new Set(entries.map((e) => e.payload.actor))).toEqual(new Set([SUB]));
    const release = await invoke<{ state: string; requesterId: string }>(handler, 'GET /releases/{id}', {
      claims: ACCESS_TOKEN,
      params,
    });
    expect(release.json).toMatchObject({ state: 'REQUESTED', requesterId: SUB });
  });

  it('reads the staff id from one claim only: no fallback to custom:staff_id or staff_id', () => {
    // Act
    const fromAccess = principalFromClaims(ACCESS_TOKEN, { staffIdClaim: 'sub' });
    const withExtra = principalFromClaims(
      { ...ACCESS_TOKEN, staff_id: 'S-1042', 'custom:staff_id': 'S-1042' },
      { staffIdClaim: 'sub' },
    );
    // Assert
    expect(fromAccess.staffId).toBe(SUB);
    expect(withExtra.staffId).toBe(SUB);
    expect(() => principalFromClaims({ ...ACCESS_TOKEN, sub: undefined }, { staffIdClaim: 'sub' })).toThrow(
      /sub/,
    );
    expect(() => principalFromClaims(ID_TOKEN, { staffIdClaim: 'sub' })).toThrow(/access token/);
  });
});

describe('one identity per person across clients (staff portal and crs)', () => {
  it('makes the same principal of the portal client’s access token as of the CLI’s', () => {
    const fromPortal = principalFromClaims(PORTAL_ACCESS_TOKEN, { staffIdClaim: 'sub' });
    const fromCli = principalFromClaims(ACCESS_TOKEN, { staffIdClaim: 'sub' });

    // The same person with the same grants; only the OpenID scopes asked for differ (the CLI asks email too).
    expect({ ...fromPortal, scopes: [] }).toEqual({ ...fromCli, scopes: [] });
    expect(fromPortal.scopes).toContain('crs/staff');
    expect(fromCli.scopes).toContain('crs/staff');
  });

  it('refuses approval from crs of a request the same person made in the portal', async () => {
    // Arrange
    const { deps } = testDeps();
    const handler = releaseRoutes(deps);
    const created = await invoke<{ releaseId: string }>(handler, 'POST /releases', {
      claims: PORTAL_ACCESS_TOKEN,
      body: REQUEST,
    });
    expect(created.status).toBe(201);

    // Act
    const approved = await invoke<{ rule?: string }>(handler, 'POST /releases/{id}/approve', {
      claims: ACCESS_TOKEN,
      params: { id: created.json.releaseId },
    });

    // Assert
    expect(approved.status).toBe(403);
    expect(approved.json.rule).toBe('s6.no-self-approval');
  });
});

describe('caller classes: each route takes the scope of its caller', () => {
  const seen: string[] = [];
  const handler = httpRouter({
    'POST /uploads': route({
      run: async ({ principal }) => {
        seen.push(principal.staffId);
        return { status: 201 };
      },
    }),
    'GET /recordings': route({
      run: async ({ principal }) => {
        seen.push(principal.staffId);
        return { status: 200 };
      },
    }),
  });
  const TELEPHONY = {
    sub: 'telephony-client',
    client_id: 'telephony-client',
    scope: 'crs/ingest',
    token_use: 'access',
  };

  it('declares a caller class for every authenticated route: ingest for telephony, the rest for staff', () => {
    const jwtRoutes = ROUTES.filter((r) => r.auth === 'jwt');
    expect(jwtRoutes.every((r) => r.caller !== undefined)).toBe(true);
    expect(jwtRoutes.filter((r) => r.caller === 'telephony').map((r) => r.path)).toEqual([
      '/uploads',
      '/uploads/{callId}',
    ]);
    expect(declarationOf('GET /recordings')?.caller).toBe('staff');
  });

  it('refuses a staff token on an ingest route and a telephony token on a staff route', async () => {
    // Act
    const staffOnIngest = await invoke<{ rule: string }>(handler, 'POST /uploads', { claims: ACCESS_TOKEN });
    const telephonyOnStaff = await invoke<{ rule: string }>(handler, 'GET /recordings', {
      claims: TELEPHONY,
    });
    const noScope = await invoke<{ rule: string }>(handler, 'GET /recordings', {
      claims: { ...ACCESS_TOKEN, scope: 'openid email profile' },
    });
    const telephonyOnIngest = await invoke(handler, 'POST /uploads', { claims: TELEPHONY });
    const staffOnStaff = await invoke(handler, 'GET /recordings', { claims: ACCESS_TOKEN });

    // Assert
    expect([staffOnIngest.status, telephonyOnStaff.status, noScope.status]).toEqual([403, 403, 403]);
    expect(staffOnIngest.json.rule).toBe('auth.caller-scope');
    expect(telephonyOnStaff.json.rule).toBe('auth.caller-scope');
    expect([telephonyOnIngest.status, staffOnStaff.status]).toEqual([201, 200]);
    expect(seen).toEqual(['telephony-client', SUB]);
  });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('local issuer', () => {
  it('mints tokens shaped as deployed Cognito access tokens', async () => {
    // Arrange
    const dir = mkdtempSync(join(tmpdir(), 'crs-issuer-'));
    const issuer = await startIssuer(dir, await freePort());
    try {
      // Act
      const staff = decodeJwt(await issuer.mint('revenues-manager'));
      const telephony = decodeJwt(await issuer.mint('telephony'));

      // Assert
      expect(staff).toMatchObject({
        sub: 'staff-revenues-manager',
        'cognito:groups': ['area:revenues:manager'],
        token_use: 'access',
      });
      expect(String(staff.scope).split(' ')).toContain('crs/staff');
      expect(staff).not.toHaveProperty('staff_id');
      expect(staff).not.toHaveProperty('aud');
      expect(telephony).toMatchObject({
        sub: 'telephony-platform',
        scope: 'crs/ingest',
        token_use: 'access',
      });
      expect(principalFromClaims(staff, { staffIdClaim: 'sub' }).staffId).toBe('staff-revenues-manager');
    } finally {
      await issuer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
