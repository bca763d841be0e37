import { createHash } from 'node:crypto';
import { smallWav } from '../../../bench/ingest-audio.js';
import { archiveUpload, RetryLaterError } from '../../../functions/ingest/archive-upload.js';
import type { ArchiveDeps, IngestConfig, IngestRecording } from '../../../functions/ports/ingest.js';
import { FakeWorld } from './fake-ports.js';

process.env.LOG_LEVEL = 'silent';

const config: IngestConfig = {
  inboxBucket: 'inbox',
  archiveBucket: 'archive',
  kmsKeyId: 'key',
  uploadLinkTtlSeconds: 900,
  retention: { minMonths: 12, maxMonths: 24 },
};
const ID = '0b7e6a2c-1d2e-4f00-9a1b-2c3d4e5f6a7b';
const KEY = `incoming/${ID}`;
const AUDIO = smallWav(30);
const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const registration = (overrides: Partial<IngestRecording> = {}): IngestRecording => ({
  recordingId: ID,
  callId: 'call-1',
  serviceArea: 'revenues',
  extension: '4001',
  direction: 'inbound',
  startedAt: '2026-03-10T09:00:00.000Z',
  endedAt: '2026-03-10T09:00:30.000Z',
  durationSeconds: 30,
  agentId: 'agent-7',
  callerWithheld: true,
  notification: { method: 'announcement' },
  abuseReminder: false,
  verificationReminder: false,
  pci: { pausedSegments: [], cardDataCaptured: false },
  audio: { format: 'wav', sizeBytes: AUDIO.length, sha256: hex(AUDIO) },
  status: 'PENDING',
  statusAt: '2026-03-10T09:01:00.000Z',
  registeredAt: '2026-03-10T09:01:00.000Z',
  retainUntil: '2027-03-10T09:00:00.000Z',
  deleteAfter: '2028-03-10T09:00:00.000Z',
  holdCount: 0,
  ...overrides,
});

const ARCHIVE_KEY = `revenues/2026/03/10/${ID}.wav`;

const world = (rec: IngestRecording | null = registration(), body: Buffer = AUDIO, checksum = true) => {
  const w = new FakeWorld();
  if (rec) w.items.set(rec.recordingId, { ...rec });
  w.put('inbox', KEY, body, checksum);
  return w;
};

const run = (w: FakeWorld, attemptId = 'msg-1', deps?: ArchiveDeps) =>
  archiveUpload(deps ?? w.ports(config), {
    bucket: 'inbox',
    key: KEY,
    attemptId,
    now: new Date('2026-03-10T09:02:00Z'),
  });

describe('archiving an upload', () => {
  it('copies good audio into the archive under a key free of personal data, locked, tagged, then catalogues it and clears the inbox', async () => {
    // Arrange
    const w = world();
    // Act
    const outcome = await run(w);
    // Assert
    expect(outcome).toEqual({ outcome: 'archived', recordingId: ID, archiveKey: ARCHIVE_KEY });
    const archived = w.object('archive', ARCHIVE_KEY);
    expect(archived?.body.equals(AUDIO)).toBe(true);
    expect(archived?.retainUntil?.toISOString()).toBe('2027-03-10T09:00:00.000Z');
    expect(archived?.tags).toEqual({ retention: 'standard' });
    expect(w.items.get(ID)).toMatchObject({
      status: 'ARCHIVED',
      archiveKey: ARCHIVE_KEY,
      deleteDay: '2028-03-10',
    });
    expect(w.keys('inbox/')).toEqual([]);
  });

  it('archives a call 13 months old with a lock in the future, ending long before its 24-month deletion', async () => {
    // Arrange: the call started 13 months before the upload; its 12-month retain-until is past
    const old = registration({
      startedAt: '2025-02-10T09:00:00.000Z',
      endedAt: '2025-02-10T09:00:30.000Z',
      retainUntil: '2026-02-10T09:00:00.000Z',
      deleteAfter: '2027-02-10T09:00:00.000Z',
    });
    const w = world(old);
    // Act
    const outcome = await run(w);
    // Assert: S3 refuses a retain-until in the past; the lock ends a day after archiving
    const key = `revenues/2025/02/10/${ID}.wav`;
    expect(outcome).toEqual({ outcome: 'archived', recordingId: ID, archiveKey: key });
    expect(w.object('archive', key)?.retainUntil?.toISOString()).toBe('2026-03-11T09:02:00.000Z');
    expect(w.items.get(ID)).toMatchObject({ status: 'ARCHIVED', deleteDay: '2027-02-10' });
    expect(w.holdRequests).toEqual([]);
  });

  it('asks the hold functions to apply the IG hold an old call was registered under, again on redelivery', async () => {
    // Arrange
    const w = world(
      registration({
        startedAt: '2023-02-10T09:00:00.000Z',
        endedAt: '2023-02-10T09:00:30.000Z',
        retainUntil: '2024-02-10T09:00:00.000Z',
        deleteAfter: '2025-02-10T09:00:00.000Z',
        admittedUnderHold: 'hold-1',
      }),
    );
    // Act: archived, then the same event delivered again (a crash before the inbox delete)
    await run(w);
    w.put('inbox', KEY, AUDIO);
    await run(w, 'msg-2');
    // Assert
    expect(w.items.get(ID)?.status).toBe('ARCHIVED');
    expect(w.holdRequests).toEqual([
      { holdId: 'hold-1', recordingId: ID },
      { holdId: 'hold-1', recordingId: ID },
    ]);
  });

  it('uses the checksum S3 stored and does not read the whole body when S3 has one', async () => {
    const w = world();
    await run(w);
    expect(w.calls).not.toContain('hashObject');
  });

  it('stream-hashes the body when the store keeps no checksum (the local emulator)', async () => {
    const w = world(registration(), AUDIO, false);
    const outcome = await run(w);
    expect(outcome.outcome).toBe('archived');
    expect(w.calls).toContain('hashObject');
  });

  it('quarantines a truncated WAV whose registered duration matches what is left, as truncated', async () => {
    // Arrange: a 36.9 s WAV (header: 590,192 data bytes) cut to its first 30,000 bytes, registered as 2 s
    const truncated = smallWav(590_192 / 16_000).subarray(0, 30_000);
    expect(truncated.readUInt32LE(40)).toBe(590_192);
    const rec = registration({
      endedAt: '2026-03-10T09:00:02.000Z',
      durationSeconds: 2,
      audio: { format: 'wav', sizeBytes: truncated.length, sha256: hex(truncated) },
    });
    const w = world(rec, truncated);
    // Act
    const outcome = await run(w);
    // Assert
    expect(outcome).toEqual({ outcome: 'quarantined', recordingId: ID, reason: 'truncated' });
    expect(w.keys('archive/')).toEqual([]);
    expect(w.items.get(ID)).toMatchObject({ status: 'QUARANTINED', quarantine: { reason: 'truncated' } });
  });

  it('archives a late upload of an expired registration rather than dropping it', async () => {
    const w = world(registration({ status: 'EXPIRED' }));
    expect((await run(w)).outcome).toBe('archived');
  });

  it.each([
    [
      'size-mismatch',
      registration({ audio: { format: 'wav', sizeBytes: AUDIO.length + 1, sha256: hex(AUDIO) } }),
      AUDIO,
    ],
    [
      'checksum-mismatch',
      registration({ audio: { format: 'wav', sizeBytes: AUDIO.length, sha256: 'ab'.repeat(32) } }),
      AUDIO,
    ],
    [
      'format-mismatch',
      registration({ audio: { format: 'mp3', sizeBytes: AUDIO.length, sha256: hex(AUDIO) } }),
      AUDIO,
    ],
    ['duration-mismatch', registration({ durationSeconds: 300 }), AUDIO],
  ] as const)('quarantines %s with a reason document and a QUARANTINED entry', async (reason, rec, body) => {
    // Arrange
    const w = world(rec, body);
    // Act
    const outcome = await run(w);
    // Assert
    expect(outcome).toEqual({ outcome: 'quarantined', recordingId: ID, reason });
    expect(w.keys('inbox/')).toEqual([`inbox/quarantine/${ID}`, `inbox/quarantine/${ID}.reason.json`]);
    const doc = JSON.parse(String(w.object('inbox', `quarantine/${ID}.reason.json`)?.body));
    expect(doc).toMatchObject({ recordingId: ID, reason, sourceKey: KEY, registered: true });
    expect(w.items.get(ID)).toMatchObject({ status: 'QUARANTINED', quarantine: { reason } });
    expect(w.keys('archive/')).toEqual([]);
  });

  it('quarantines bytes that are not audio at all as a format mismatch', async () => {
    const junk = Buffer.alloc(5000, 0x41);
    const w = world(
      registration({ audio: { format: 'wav', sizeBytes: junk.length, sha256: hex(junk) } }),
      junk,
    );
    expect(await run(w)).toMatchObject({ outcome: 'quarantined', reason: 'format-mismatch' });
  });

  it('quarantines an upload with no registration, without inventing a catalogue entry', async () => {
    const w = world(null);
    const outcome = await run(w);
    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'no-registration' });
    expect(w.items.size).toBe(0);
    expect(w.keys('inbox/')).toContain(`inbox/quarantine/${ID}.reason.json`);
  });

  it('treats a duplicate event after archiving as done, archiving nothing twice', async () => {
    const w = world();
    await run(w, 'msg-1');
    w.put('inbox', KEY, AUDIO); // the duplicate event may race a re-upload; either way nothing new is archived
    const outcome = await run(w, 'msg-2');
    expect(outcome).toEqual({ outcome: 'already-done', recordingId: ID, status: 'ARCHIVED' });
    expect(w.copies).toBe(1);
    expect(w.keys('inbox/')).toEqual([]);
  });

  it('ends in one archived object and one entry when it crashed between copy and catalogue write and the message is redelivered', async () => {
    // Arrange: the first attempt dies right after the copy
    const w = world();
    const ports = w.ports(config);
    const crashing: ArchiveDeps = {
      ...ports,
      catalogue: {
        ...ports.catalogue,
        markArchived: async () => {
          throw new Error('crash: process killed');
        },
      },
    };
    await expect(run(w, 'msg-1', crashing)).rejects.toThrow('crash');
    expect(w.keys('archive/')).toEqual([`archive/${ARCHIVE_KEY}`]);
    // Act: SQS redelivers the same message
    const outcome = await run(w, 'msg-1');
    // Assert
    expect(outcome.outcome).toBe('archived');
    expect(w.copies).toBe(1);
    expect(w.keys('archive/')).toEqual([`archive/${ARCHIVE_KEY}`]);
    expect(w.items.get(ID)?.status).toBe('ARCHIVED');
  });

  it('finishes the catalogue write on redelivery when the inbox object was removed but that write failed', async () => {
    // Arrange: the catalogue write and the inbox removal run side by side; the write fails, the removal lands
    const w = world();
    const ports = w.ports(config);
    const failing: ArchiveDeps = {
      ...ports,
      catalogue: {
        ...ports.catalogue,
        markArchived: async () => {
          throw new Error('DynamoDB unavailable');
        },
      },
    };
    await expect(run(w, 'msg-1', failing)).rejects.toThrow('unavailable');
    expect(w.keys('inbox/')).toEqual([]);
    // Act: SQS redelivers the same message
    const outcome = await run(w, 'msg-1');
    // Assert
    expect(outcome).toEqual({ outcome: 'archived', recordingId: ID, archiveKey: ARCHIVE_KEY });
    expect(w.copies).toBe(1);
    expect(w.items.get(ID)).toMatchObject({
      status: 'ARCHIVED',
      archiveKey: ARCHIVE_KEY,
      archiveVersionId: 'v1',
    });
  });

  it('does not archive from an archive object that a verified copy did not make', async () => {
    // Arrange: the inbox object is gone and the archive key holds bytes with another checksum
    const w = world();
    w.objects.delete(`inbox/${KEY}`);
    w.put('archive', ARCHIVE_KEY, AUDIO);
    // Act / Assert
    await expect(run(w)).rejects.toBeInstanceOf(RetryLaterError);
    expect(w.items.get(ID)?.status).toBe('PENDING');
  });

  it('makes a concurrent duplicate message wait while another holds the lease', async () => {
    const w = world();
    const ports = w.ports(config);
    await ports.catalogue.acquireLease(ID, 'msg-1', new Date('2026-03-10T09:02:00Z'), 60_000);
    await expect(run(w, 'msg-2')).rejects.toBeInstanceOf(RetryLaterError);
    expect(w.copies).toBe(0);
  });

  it('ignores objects outside the incoming prefix', async () => {
    const w = world();
    const outcome = await archiveUpload(w.ports(config), {
      bucket: 'inbox',
      key: `quarantine/${ID}`,
      attemptId: 'm',
    });
    expect(outcome.outcome).toBe('ignored');
  });
});
