/**
 * Search, playback, download, delete and the audit log on the local stack, driven over HTTP as staff
 * would. Recordings are seeded by writing catalogue items and archive objects directly (the shape the
 * ingest worker writes), with the caller pseudonym made by the same KMS HMAC function ingest uses.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { appendAudit, verifyAuditChain } from '../../functions/adapters/audit-log.js';
import { pseudonymiseNumber } from '../../functions/adapters/pseudonymise.js';
import { principalFrom } from '../../functions/domain/roles.js';
import { awsPlaybackDeps } from '../../functions/playback/deps.js';
import { linkUseCase } from '../../functions/playback/link.js';
import { api, bucket, closeClients, dynamo, s3, stack, table } from './support.js';

// DynamoDB Local writes take tens of ms on this machine; contended appends retry with back-off.
jest.setTimeout(120_000); // budgeted for a loaded 2-core machine

// This file's own caller: other files upload in every area with the platform's usual test number.
const CALLER = '+441632960431';
const EXTENSION = '2777'; // used by this file only, so searches by extension see only these recordings

interface Seeded {
  recordingId: string;
  bytes: Buffer;
  archiveKey: string;
}

const seed = async (
  overrides: Record<string, unknown> = {},
  lock?: { retainUntil: Date },
): Promise<Seeded> => {
  const recordingId = randomUUID();
  const bytes = randomBytes(4096);
  const archiveKey = `revenues/2024/03/01/${recordingId}.wav`;
  const checksum = createHash('sha256').update(bytes).digest('base64');
  const put = await s3().send(
    new PutObjectCommand({
      Bucket: bucket('archive'),
      Key: archiveKey,
      Body: bytes,
      ContentType: 'audio/wav',
      ChecksumSHA256: checksum,
      ...(lock ? { ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: lock.retainUntil } : {}),
    }),
  );
  await dynamo().send(
    new PutCommand({
      TableName: table('catalogue'),
      Item: {
        recordingId,
        callId: `call-${recordingId}`,
        serviceArea: 'revenues',
        extension: EXTENSION,
        direction: 'inbound',
        startedAt: new Date(Date.now() - Math.floor(Math.random() * 1e9)).toISOString(),
        endedAt: new Date().toISOString(),
        durationSeconds: 120,
        agentId: 'agent-pb',
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
        statusAt: new Date().toISOString(),
        registeredAt: new Date().toISOString(),
        archivedAt: new Date().toISOString(),
        archiveKey,
        archiveVersionId: put.VersionId,
        retainUntil: '2025-01-01T00:00:00.000Z',
        deleteAfter: '2026-01-01T00:00:00.000Z',
        deleteDay: '2026-01-01',
        holdCount: 0,
        ...overrides,
      },
    }),
  );
  return { recordingId, bytes, archiveKey };
};

const catalogueItem = async (recordingId: string) =>
  (await dynamo().send(new GetCommand({ TableName: table('catalogue'), Key: { recordingId } }))).Item;

beforeAll(() => {
  // In-process adapters (HMAC for seeding, audit chain checks) talk to the same emulators as the stack.
  Object.assign(process.env, stack().env, { LOG_LEVEL: 'silent' });
});
afterAll(closeClients);

describe('playback on the local stack', () => {
  it('gives a listener a link that plays the archived bytes inline as audio', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const res = await api('revenues-listener').post(`/recordings/${rec.recordingId}/playback`, {
      purpose: 'training',
    });
    const audio = await fetch(res.json.url);
    // Assert
    expect(res.status).toBe(200);
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).equals(rec.bytes)).toBe(true);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(audio.headers.get('content-disposition')).toMatch(/^inline/);
  });

  it('refuses the link once tampered with (another key, or another signature)', async () => {
    // Arrange
    const rec = await seed();
    const other = await seed();
    const res = await api('revenues-listener').post(`/recordings/${rec.recordingId}/playback`, {
      purpose: 'training',
    });
    const url = String(res.json.url);
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(url)?.[1] ?? '';
    // Act
    const otherObject = await fetch(url.replace(rec.recordingId, other.recordingId));
    const flipped = await fetch(
      url.replace(signature, `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`),
    );
    const attachment = await fetch(url.replace('inline', 'attachment'));
    // Assert
    expect([otherObject.status, flipped.status, attachment.status]).toEqual([403, 403, 403]);
  });

  it('refuses a playback link once it has expired', async () => {
    // Arrange: the playback use case itself, with its clock ten minutes back (the link lived 5).
    const rec = await seed();
    const link = await linkUseCase(
      {
        ...awsPlaybackDeps(),
        config: { linkTtlSeconds: 300 },
        now: () => new Date(Date.now() - 10 * 60_000),
      },
      principalFrom('staff-revenues-listener', ['area:revenues:listener'], []),
      {
        correlationId: 'expired-link-test',
        mode: 'playback',
        recordingId: rec.recordingId,
        body: { purpose: 'training' },
      },
    );
    // Act
    const audio = await fetch(link.url);
    // Assert
    expect(audio.status).toBe(403);
  });

  it('refuses another service area and audits the denial', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const res = await api('housing-nominated').post(`/recordings/${rec.recordingId}/playback`, {
      purpose: 'quality-monitoring',
    });
    const log = await api('ig-officer').get(`/audit?recordingId=${rec.recordingId}`);
    // Assert
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('X-Amz');
    expect(log.status).toBe(200);
    expect(log.json.entries[0]).toMatchObject({
      actor: 'staff-housing-nominated',
      action: 'playback',
      outcome: 'denied',
      rule: 's6.playback-within-service-area',
    });
  });

  it('lets nominated staff download (attachment) and refuses a listener', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const refused = await api('revenues-listener').post(`/recordings/${rec.recordingId}/download`, {
      purpose: 'dispute-verification',
    });
    const res = await api('revenues-nominated').post(`/recordings/${rec.recordingId}/download`, {
      purpose: 'dispute-verification',
    });
    const audio = await fetch(res.json.url);
    // Assert
    expect(refused.status).toBe(403);
    expect(res.status).toBe(200);
    expect(audio.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(Buffer.from(await audio.arrayBuffer()).equals(rec.bytes)).toBe(true);
  });
});

describe('search on the local stack', () => {
  it('finds recordings by caller number through the ingest HMAC, only in the caller’s areas', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const mine = await api('revenues-listener').get(
      `/recordings?caller=${encodeURIComponent(CALLER)}&limit=100`,
    );
    const theirs = await api('housing-listener').get(
      `/recordings?caller=${encodeURIComponent(CALLER)}&limit=100`,
    );
    // Assert
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((i: { recordingId: string }) => i.recordingId)).toContain(rec.recordingId);
    expect(theirs.status).toBe(200);
    expect(theirs.json.items).toEqual([]);
  });

  it('pages through an extension’s recordings with the cursor, each once, newest first', async () => {
    // Arrange
    await Promise.all([seed(), seed(), seed()]);
    const seen: { recordingId: string; startedAt: string }[] = [];
    // Act
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api('revenues-listener').get(
        `/recordings?extension=${EXTENSION}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.json.items);
      cursor = res.json.cursor;
      pages += 1;
    } while (cursor && pages < 100);
    // Assert
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen.map((s) => s.recordingId)).size).toBe(seen.length);
    const times = seen.map((s) => s.startedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('refuses a forged cursor with 400', async () => {
    const forged = Buffer.from(
      JSON.stringify({ recordingId: 'x', startedAt: 'y', extension: '9999' }),
    ).toString('base64url');
    const res = await api('revenues-listener').get(`/recordings?extension=${EXTENSION}&cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(res.json.field).toBe('query.cursor');
  });
});

describe('deletion on the local stack', () => {
  it('deletes an expired-retention recording: object gone, catalogue DELETED with a certificate', async () => {
    // Arrange: the object's own lock ends in 2 s (as an archive object 12 months old would have ended).
    const rec = await seed({}, { retainUntil: new Date(Date.now() + 2000) });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Act
    const res = await api('revenues-nominated').delete(`/recordings/${rec.recordingId}`, {
      reason: 'duplicate of another call',
    });
    // Assert
    expect(res.status).toBe(200);
    const gone = await s3()
      .send(new HeadObjectCommand({ Bucket: bucket('archive'), Key: rec.archiveKey }))
      .then(
        () => 200,
        (e: { $metadata?: { httpStatusCode?: number } }) => e.$metadata?.httpStatusCode,
      );
    expect(gone).toBe(404);
    const item = await catalogueItem(rec.recordingId);
    expect(item).toMatchObject({
      status: 'DELETED',
      deletion: {
        by: 'staff-revenues-nominated',
        reason: 'duplicate of another call',
        archiveKey: rec.archiveKey,
      },
    });
    expect(item).not.toHaveProperty('deleteDay');
    const today = new Date().toISOString().slice(0, 10);
    const report = await api('ig-officer').get(`/reports/deletions?from=${today}&to=${today}`);
    expect(report.status).toBe(200);
    expect(report.json.deletions).toContainEqual(
      expect.objectContaining({
        recordingId: rec.recordingId,
        serviceArea: 'revenues',
        certificate: expect.objectContaining({ rule: 's6.nominated-delete', by: 'staff-revenues-nominated' }),
      }),
    );
  });

  it('refuses under a hold, before retain-until, and when the archive still locks the object', async () => {
    // Arrange
    const held = await seed({ holdCount: 1 });
    const young = await seed({ retainUntil: '2999-01-01T00:00:00.000Z' });
    const locked = await seed(); // the archive's default retention (365 days) still applies to the object
    const nominated = api('revenues-nominated');
    // Act
    const replies = await Promise.all(
      [held, young, locked].map((r) =>
        nominated.delete(`/recordings/${r.recordingId}`, { reason: 'not needed' }),
      ),
    );
    // Assert
    expect(replies.map((r) => [r.status, r.json.rule])).toEqual([
      [422, 's7.no-deletion-under-hold'],
      [422, 's7.retain-12-months'],
      [422, 's7.object-locked'],
    ]);
    expect(await catalogueItem(locked.recordingId)).toMatchObject({
      status: 'ARCHIVED',
      deleteDay: '2026-01-01',
    });
  });
});

describe('audit log on the local stack', () => {
  it('keeps every shard chain unbroken under 20 concurrent writers, losing no entry', async () => {
    // Arrange
    const before = await verifyAuditChain(table('auditLog'));
    expect(before.ok).toBe(true);
    // Act
    const links = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAudit(table('auditLog'), {
          actor: `writer-${i}`,
          action: 'view',
          recordingId: 'concurrency-test',
          outcome: 'allowed',
          rule: 'test',
          correlationId: `c-${i}`,
        }),
      ),
    );
    const after = await verifyAuditChain(table('auditLog'));
    // Assert
    // Each append is its own place in one of the shard chains: no two writers took the same (chain, seq).
    expect(new Set(links.map((l) => `${l.chain}#${l.seq}`)).size).toBe(20);
    expect(after).toMatchObject({ ok: true });
    expect(after.count).toBeGreaterThanOrEqual(before.count + 20);
    const mine = await api('ig-officer').get('/audit?recordingId=concurrency-test&limit=100');
    expect(mine.json.entries.length).toBe(20);
  });

  it('keeps the chain whole under 10 parallel playback requests, each audited', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        api('revenues-listener').post(`/recordings/${rec.recordingId}/playback`, { purpose: 'training' }),
      ),
    );
    // Assert
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const log = await api('ig-officer').get(`/audit?recordingId=${rec.recordingId}&limit=100`);
    expect(log.json.entries.filter((e: { outcome: string }) => e.outcome === 'allowed')).toHaveLength(10);
    expect((await verifyAuditChain(table('auditLog'))).ok).toBe(true);
  });

  it('reads a time window alone (no recording, no actor) page by page, newest first, each entry once', async () => {
    // Arrange: three entries between two instants; nothing else writes while this file runs (in band).
    const from = new Date().toISOString();
    const placed = [];
    for (let i = 0; i < 3; i += 1)
      placed.push(
        await appendAudit(table('auditLog'), {
          actor: 'window-test',
          action: 'view',
          recordingId: 'window-test',
          outcome: 'allowed',
          rule: 'test',
          correlationId: `window-${i}`,
        }),
      );
    const to = new Date().toISOString();
    // Act
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await api('ig-officer').get(
        `/audit?from=${from}&to=${to}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      pages.push(page);
      cursor = page.json.cursor;
    } while (cursor && pages.length < 10);
    // Assert
    expect(pages.map((p) => p.status)).toEqual(pages.map(() => 200));
    const seqs = pages.flatMap((p) => p.json.entries.map((e: { seq: number }) => e.seq));
    expect(seqs).toEqual(placed.map((l) => l.seq).reverse());
  });

  it('filters by actor and time, and refuses readers other than IG and the log keeper', async () => {
    // Arrange
    const from = new Date().toISOString();
    const rec = await seed();
    await api('revenues-nominated').get(`/recordings/${rec.recordingId}`);
    // Act
    const byActor = await api('release-log-keeper').get(`/audit?actor=staff-revenues-nominated&from=${from}`);
    const refused = await api('siro').get('/audit');
    // Assert
    expect(byActor.status).toBe(200);
    expect(byActor.json.entries.length).toBeGreaterThanOrEqual(1);
    expect(
      byActor.json.entries.every(
        (e: { actor: string; at: string }) => e.actor === 'staff-revenues-nominated' && e.at >= from,
      ),
    ).toBe(true);
    expect(refused.status).toBe(403);
  });
});
