/**
 * A police request on the local stack, as users do it: refused while no IG advice covers it; IG records
 * advice; the request carries the Schedule 2 form; the SIRO approves; the requester downloads the package
 * with `crs release download --out-dir` and `crs verify-package` checks it against the council's public
 * key — and fails it once a file is changed. The Release of Recording Log shows the advice id.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { api, localStack, seedRecordings } from './holds-support.js';
import { runCrs } from './support.js';

// The stack shares two cores with everything else: allow slow steps, never assert on time.
jest.setTimeout(180_000);

const info = localStack();
const work = mkdtempSync(join(tmpdir(), 'disclosures-it-'));
const tokenFile = join(work, 'token');
const crs = (...args: string[]) => runCrs({ CRS_TOKEN_FILE: tokenFile }, ...args);

const SCHEDULE2 = {
  authorisingOfficer: { name: 'J. Smith', rank: 'Inspector' },
  statutoryBasis: 'sch2-part1-para2',
  reference: 'CRIME-2026-0042',
  whyNeeded: 'The call records a threat to a council officer; it is evidence of the offence.',
  prejudiceWithout: 'Without it the offender may not be identified or prosecuted.',
  dataSubjectMayBeTold: false,
  deliveryMethod: 'secure-link',
};

const recordingId = `disc-it-${Date.now()}`;
const policeRequest = (igAdviceRef: string) => ({
  recordingId,
  destination: {
    kind: 'external-agency',
    agency: 'Avon and Somerset Police',
    igAdviceRef,
    schedule2: SCHEDULE2,
  },
  purpose: 'staff-protection',
  justification: 'Threat made to a revenues officer on this call',
});

beforeAll(async () => {
  await seedRecordings(info, [{ recordingId, serviceArea: 'revenues', startedAt: new Date().toISOString() }]);
});

describe('a police request on the local stack', () => {
  it('is refused without IG advice on record, whatever reference is typed', async () => {
    const reply = await api<{ rule: string }>(
      info,
      'revenues-listener',
      'POST',
      '/releases',
      policeRequest('made-up'),
    );
    expect(reply.status).toBe(422);
    expect(reply.json.rule).toBe('s6.ig-advice-required');
  });

  it('goes through to an issued copy that crs verify-package accepts, and rejects once tampered', async () => {
    // Arrange: IG records advice for this recording and this agency.
    const advice = await api<{ adviceId: string }>(info, 'ig-officer', 'POST', '/ig-advice', {
      recordings: { kind: 'ids', recordingIds: [recordingId] },
      purposes: ['staff-protection'],
      uses: ['external-release'],
      agency: 'Avon and Somerset Police',
      advice: 'Disclose under Schedule 2 paragraph 2: necessary and proportionate for the investigation.',
      conditions: ['secure link only', 'do not tell the data subject'],
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(advice.status).toBe(201);
    // Act
    const requested = await api<{ releaseId: string }>(
      info,
      'revenues-listener',
      'POST',
      '/releases',
      policeRequest(advice.json.adviceId),
    );
    const id = requested.json.releaseId;
    const byManager = await api<{ rule: string }>(
      info,
      'revenues-manager',
      'POST',
      `/releases/${id}/approve`,
    );
    const bySiro = await api<{ state: string }>(info, 'siro', 'POST', `/releases/${id}/approve`);
    const publicKey = await api(info, 'release-log-keeper', 'GET', '/release-log/public-key');
    const keyFile = join(work, 'key.json');
    writeFileSync(keyFile, JSON.stringify(publicKey.json));
    const dir = join(work, 'package');
    expect((await crs('login', '--as', 'revenues-listener')).code).toBe(0);
    const downloaded = await crs('release', 'download', id, '--out-dir', dir);
    const verified = await crs('verify-package', dir, '--public-key', keyFile);
    appendFileSync(join(dir, `${recordingId}.wav`), 'tampered');
    const tampered = await crs('verify-package', dir, '--public-key', keyFile);
    const log = await api<{
      entries: { payload: { event: string; destination: string; authoriser: string } }[];
    }>(info, 'release-log-keeper', 'GET', `/release-log?releaseId=${id}`);
    // Assert
    expect(requested.status).toBe(201);
    expect(byManager.status).toBe(403);
    expect(byManager.json.rule).toBe('s6.external-approvers');
    expect(bySiro.status).toBe(200);
    expect(bySiro.json.state).toBe('ISSUED');
    expect(downloaded).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('OK: package');
    expect(verified.code).toBe(0);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain(`changed: ${recordingId}.wav`);
    const approved = log.json.entries.find((e) => e.payload.event === 'APPROVED');
    expect(approved?.payload.destination).toContain(`IG advice ${advice.json.adviceId}`);
    expect(approved?.payload.authoriser).toBe('staff-siro');
  });
});
