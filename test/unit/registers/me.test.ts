import type { Me } from '../../../functions/registers/me.js';
import { invoke } from '../support/http.js';
import { registersWorld } from './fakes.js';

const { handler } = registersWorld();

const me = async (groups: string[], staffId = 'staff-1') => {
  const reply = await invoke(handler, 'GET /me', { staffId, groups });
  expect(reply.status).toBe(200);
  return reply.json as unknown as Me;
};

describe('GET /me', () => {
  it('offers a listener playback of their area only, never download or delete', async () => {
    // Act
    const body = await me(['area:revenues:listener']);
    // Assert
    expect(body).toMatchObject({ staffId: 'staff-1', grants: { revenues: ['listener'] }, roles: [] });
    expect(body.actions.play).toEqual(['revenues']);
    expect(body.actions.downloadAndDelete).toEqual([]);
    expect(body.actions.requestRelease).toBe(true);
    expect(body.actions.approveReleases).toEqual({ areas: [], external: false });
    expect(body.actions.manageHolds).toBe(false);
    expect(body.actions.readAudit).toBe(false);
  });

  it('offers nominated staff download and delete in their own area', async () => {
    const body = await me(['area:housing:nominated', 'area:revenues:listener']);
    expect(body.actions.play).toEqual(['housing', 'revenues']);
    expect(body.actions.downloadAndDelete).toEqual(['housing']);
  });

  it('lets a manager approve releases of their own area only, and read its due list and report', async () => {
    const body = await me(['area:revenues:manager']);
    expect(body.actions.play).toEqual([]);
    expect(body.actions.approveReleases).toEqual({ areas: ['revenues'], external: false });
    expect(body.actions.readDueList).toEqual(['revenues']);
    expect(body.actions.readComplianceReport).toEqual(['revenues']);
    expect(body.actions.readRegisters).toEqual(['revenues']);
  });

  it('lets the SIRO approve internal releases of every area and external ones, but not play', async () => {
    const body = await me(['role:siro']);
    expect(body.actions.approveReleases).toEqual({ areas: 'all', external: true });
    expect(body.actions.play).toEqual([]);
  });

  it('lets the Internal Audit Manager approve internal releases only', async () => {
    const body = await me(['role:internal-audit-manager']);
    expect(body.actions.approveReleases).toEqual({ areas: 'all', external: false });
  });

  it('gives the IG officer holds, the audit log, the release log and every report', async () => {
    const body = await me(['role:ig-officer']);
    expect(body.actions).toMatchObject({
      manageHolds: true,
      readAudit: true,
      readReleaseLog: true,
      readRetentionReports: true,
      readComplianceReport: 'all',
      readRegisters: 'all',
      writeRegisters: false,
      readDueList: 'all',
    });
  });

  it('gives the log keeper the log and the audit log but not holds', async () => {
    const body = await me(['role:release-log-keeper']);
    expect(body.actions).toMatchObject({ manageHolds: false, readAudit: true, readReleaseLog: true });
  });

  it('gives the registrar the registers to write', async () => {
    const body = await me(['role:registrar']);
    expect(body.actions).toMatchObject({ writeRegisters: true, readRegisters: 'all', readDueList: 'all' });
  });

  it('gives a signed-in member of staff with no grant only a release request', async () => {
    const body = await me([]);
    expect(body.actions).toEqual({
      play: [],
      downloadAndDelete: [],
      requestRelease: true,
      approveReleases: { areas: [], external: false },
      manageHolds: false,
      readAudit: false,
      readReleaseLog: false,
      readRetentionReports: false,
      readComplianceReport: [],
      readRegisters: [],
      writeRegisters: false,
      readDueList: [],
    });
  });

  it('refuses a request without a verified identity (401)', async () => {
    const reply = await invoke(handler, 'GET /me', {});
    expect(reply.status).toBe(401);
  });
});
