/**
 * A subject access request on the local stack, as IG does it with `crs sar`: a caller with recordings in
 * two service areas (catalogue items and archive objects as ingest writes them, the caller pseudonym made
 * with the same KMS HMAC); one request finds both; IG discloses one and withholds the other under a DPA
 * 2018 exemption; the package saved with `crs sar package --out-dir` passes `crs verify-package` and holds
 * only the disclosed recording; the Release of Recording Log shows that disclosure; the access audit log
 * names the request for the search and the disclosure.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { pseudonymiseNumber } from '../../functions/adapters/pseudonymise.js';
import { api, bucket, closeClients, dynamo, runCrs, s3, stack, table } from './support.js';

// Spawns the CLI several times on a shared 2-core machine: generous, never asserted on.
jest.setTimeout(300_000);

const work = mkdtempSync(join(tmpdir(), 'sar-it-'));
const tokenFile = join(work, 'token');
const crs = (...args: string[]) => runCrs({ CRS_TOKEN_FILE: tokenFile }, ...args);
// A number of this run only, so the search sees only the recordings seeded here.
const CALLER = `+4477009${String(Date.now() % 1_000_000).padStart(6, '0')}`;

const seed = async (serviceArea: string, startedAt: string) => {
  const recordingId = randomUUID();
  const bytes = randomBytes(2048);
  const archiveKey = `${serviceArea}/${startedAt.slice(0, 10).replaceAll('-', '/')}/${recordingId}.wav`;
  const put = await s3().send(
    new PutObjectCommand({
      Bucket: bucket('archive'),
      Key: archiveKey,
      Body: bytes,
      ContentType: 'audio/wav',
    }),
  );
  await dynamo().send(
    new PutCommand({
      TableName: table('catalogue'),
      Item: {
        recordingId,
        callId: `call-${recordingId}`,
        serviceArea,
        extension: '2001',
        direction: 'inbound',
        startedAt,
        endedAt: startedAt,
        durationSeconds: 60,
        agentId: 'agent-sar',
        callerHash: await pseudonymiseNumber(CALLER),
        callerLast3: CALLER.slice(-3),
        callerWithheld: false,
        notification: { method: 'announcement' },
        abuseReminder: false,
        verificationReminder: false,
        pci: { pausedSegments: [], cardDataCaptured: false },
        audio: {
          format: 'wav',
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
        status: 'ARCHIVED',
        statusAt: startedAt,
        registeredAt: startedAt,
        archivedAt: startedAt,
        archiveKey,
        archiveVersionId: put.VersionId,
        retainUntil: '2027-09-01T00:00:00.000Z',
        deleteAfter: '2028-09-01T00:00:00.000Z',
        deleteDay: '2028-09-01',
        holdCount: 0,
      },
    }),
  );
  return { recordingId, bytes };
};

beforeAll(() => {
  // The in-process HMAC (for seeding) talks to the same local KMS as the stack.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
});
afterAll(closeClients);

describe('a subject access request on the local stack', () => {
  it('finds the caller in two areas, discloses one, withholds one, and the package verifies', async () => {
    // Arrange: the caller rang revenues and housing.
    const revenues = await seed('revenues', '2026-09-03T09:15:00.000Z');
    const housing = await seed('housing', '2026-10-12T14:00:00.000Z');
    expect((await crs('login', '--as', 'ig-officer')).code).toBe(0);

    // Act: open, search, decide, package, verify.
    const opened = await crs(
      'sar',
      'open',
      '--name',
      'Alex Example',
      '--reference',
      'SAR/IT/1',
      '--check',
      'photo-id=driving licence seen, photo and name match',
      '--check',
      'proof-of-address=council tax bill, September 2026',
      '--caller',
      CALLER,
      '--from',
      '2026-09-01',
      '--to',
      '2026-10-31',
    );
    const sarId = /subject access request (\S+):/.exec(opened.stdout)?.[1] ?? '';
    const searched = await crs('sar', 'search', sarId);
    const listened = await api('ig-officer').post(
      `/subject-access-requests/${sarId}/recordings/${housing.recordingId}/playback`,
    );
    const withheld = await crs(
      'sar',
      'mark',
      sarId,
      housing.recordingId,
      'withhold',
      '--exemption',
      'sch2-p3-para16-third-party',
    );
    const disclosed = await crs('sar', 'mark', sarId, revenues.recordingId, 'disclose');
    const dir = join(work, 'package');
    const packaged = await crs('sar', 'package', sarId, '--out-dir', dir);
    const key = await api('release-log-keeper').get('/release-log/public-key');
    const keyFile = join(work, 'key.json');
    writeFileSync(keyFile, JSON.stringify(key.json));
    const verified = await crs('verify-package', dir, '--public-key', keyFile);
    const closed = await api('ig-officer').post(`/subject-access-requests/${sarId}/close`, {
      note: 'package sent by secure link',
    });
    const log = await api('release-log-keeper').get(`/release-log?releaseId=${sarId}`);
    const audit = await api('ig-officer').get(`/audit?recordingId=${revenues.recordingId}`);
    const report = await api('release-log-keeper').get('/reports/subject-access');

    // Assert
    expect(opened).toMatchObject({ code: 0 });
    expect(sarId).toMatch(/^sar-/);
    expect(searched.code).toBe(0);
    expect(searched.stdout).toContain('2 recording(s)');
    expect(searched.stdout).toContain(revenues.recordingId);
    expect(searched.stdout).toContain(housing.recordingId);
    expect(listened.status).toBe(200);
    expect(withheld.stdout).toContain(`${housing.recordingId}: withhold under sch2-p3-para16-third-party`);
    expect(disclosed.stdout).toContain(`${revenues.recordingId}: disclose`);
    expect(packaged).toMatchObject({ code: 0 });
    expect(readdirSync(dir).sort()).toEqual(
      ['certificate.json', 'cover-sheet.txt', 'manifest.json', `${revenues.recordingId}.wav`].sort(),
    );
    expect(readFileSync(join(dir, `${revenues.recordingId}.wav`)).equals(revenues.bytes)).toBe(true);
    expect(verified.stdout).toContain('OK: package');
    expect(verified.code).toBe(0);
    expect(closed.json.state).toBe('CLOSED');
    const entries = (log.json.entries as { payload: Record<string, string> }[]).map((e) => e.payload);
    expect(entries).toEqual([
      expect.objectContaining({
        event: 'SAR_DISCLOSED',
        recordingId: revenues.recordingId,
        recordingDateTime: '2026-09-03T09:15:00.000Z',
        purpose: 'subject-access (UK GDPR Art. 15)',
        requester: `data subject (SAR ${sarId})`,
        authoriser: 'staff-ig-officer',
      }),
    ]);
    expect(JSON.stringify(audit.json)).toContain(`SAR ${sarId}: disclosed to the data subject`);
    expect((report.json.closedPerMonth as unknown[]).length).toBeGreaterThan(0);
  });

  it('refuses the request to anyone but IG, naming the rule', async () => {
    const reply = await api('siro').post('/subject-access-requests', {
      requester: { name: 'Alex Example' },
      identityChecks: [{ check: 'photo-id', detail: 'seen' }],
      callerNumbers: [CALLER],
      from: '2026-09-01T00:00:00Z',
      to: '2026-10-31T23:59:59Z',
    });
    expect(reply.status).toBe(403);
    expect(reply.json.rule).toBe('dpa.sar-by-ig');
  });
});
