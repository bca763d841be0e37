/**
 * The crs CLI against the local stack: `crs login --as`, `crs search`, `crs play` (link) and
 * `crs play --download --out` (nominated staff), as a member of staff would type them.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { bucket, closeClients, dynamo, runCrs, s3, table } from './support.js';

jest.setTimeout(180_000); // spawns the CLI (tsx): budgeted for a loaded 2-core machine
afterAll(closeClients);

const dir = mkdtempSync(join(tmpdir(), 'crs-cli-'));

const crs = (persona: string, ...args: string[]) =>
  runCrs({ CRS_TOKEN_FILE: join(dir, `${persona}.token`) }, ...args);

const seed = async () => {
  const recordingId = randomUUID();
  const bytes = randomBytes(2048);
  const archiveKey = `revenues/2024/04/01/${recordingId}.mp3`;
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket('archive'),
      Key: archiveKey,
      Body: bytes,
      ChecksumSHA256: createHash('sha256').update(bytes).digest('base64'),
    }),
  );
  await dynamo().send(
    new PutCommand({
      TableName: table('catalogue'),
      Item: {
        recordingId,
        callId: `cli-${recordingId}`,
        serviceArea: 'revenues',
        extension: '2778',
        direction: 'outbound',
        startedAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
        durationSeconds: 42,
        agentId: 'agent-cli',
        callerWithheld: true,
        notification: { method: 'agent-statement' },
        abuseReminder: false,
        verificationReminder: false,
        pci: { pausedSegments: [], cardDataCaptured: false },
        audio: {
          format: 'mp3',
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        },
        status: 'ARCHIVED',
        statusAt: new Date().toISOString(),
        registeredAt: new Date().toISOString(),
        archiveKey,
        retainUntil: '2099-01-01T00:00:00.000Z',
        deleteAfter: '2099-06-01T00:00:00.000Z',
        holdCount: 0,
      },
    }),
  );
  return { recordingId, bytes };
};

describe('crs login, search and play', () => {
  it('signs a listener in, lists the recording in a table and prints a playable link', async () => {
    // Arrange
    const rec = await seed();
    // Act
    const login = await crs('listener', 'login', '--as', 'revenues-listener');
    const search = await crs('listener', 'search', '--extension', '2778');
    const play = await crs('listener', 'play', rec.recordingId, '--purpose', 'training');
    const refused = await crs(
      'listener',
      'play',
      rec.recordingId,
      '--purpose',
      'training',
      '--download',
      '--out',
      join(dir, 'x.mp3'),
    );
    // Assert
    expect(login.code).toBe(0);
    expect(search.stdout).toMatch(/^RECORDING\s+AREA\s+STARTED/);
    expect(search.stdout).toContain(rec.recordingId);
    expect(play.code).toBe(0);
    const audio = await fetch(play.stdout.trim());
    expect(Buffer.from(await audio.arrayBuffer()).equals(rec.bytes)).toBe(true);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 403');
  });

  it('saves the audio to a file for nominated staff', async () => {
    // Arrange
    const rec = await seed();
    const out = join(dir, `${rec.recordingId}.mp3`);
    // Act
    await crs('nominated', 'login', '--as', 'revenues-nominated');
    const play = await crs(
      'nominated',
      'play',
      rec.recordingId,
      '--purpose',
      'dispute-verification',
      '--download',
      '--out',
      out,
    );
    // Assert
    expect(play.code).toBe(0);
    expect(readFileSync(out).equals(rec.bytes)).toBe(true);
  });

  it('refuses an unknown persona with the list of known ones', async () => {
    const login = await crs('nobody', 'login', '--as', 'nobody-at-all');
    expect(login.code).toBe(1);
    expect(login.stderr).toContain('revenues-listener');
  });

  it('shows IG who played a recording, for what purpose and under which rule, and refuses a listener', async () => {
    // Arrange: one allowed playback and one refused download of the same recording
    const rec = await seed();
    await crs('listener', 'login', '--as', 'revenues-listener');
    await crs('listener', 'play', rec.recordingId, '--purpose', 'staff-protection');
    await crs(
      'listener',
      'play',
      rec.recordingId,
      '--purpose',
      'training',
      '--download',
      '--out',
      join(dir, 'y.mp3'),
    );
    await crs('ig', 'login', '--as', 'ig-officer');
    // Act
    const shown = await crs('ig', 'audit', '--recording', rec.recordingId);
    const refused = await crs('listener', 'audit', '--recording', rec.recordingId);
    // Assert: newest first — the refused download, then the playback
    expect(shown.code).toBe(0);
    const rows = shown.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^SEQ\s+TIME \(UTC\)\s+ACTOR\s+ACTION\s+RECORDING/);
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(
        /staff-revenues-listener\s+download\s+\S+\s+revenues\s+training\s+denied\s+s6\.nominated-staff-only$/,
      ),
      expect.stringMatching(
        /staff-revenues-listener\s+playback\s+\S+\s+revenues\s+staff-protection\s+allowed\s+s6\.playback-within-service-area$/,
      ),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 403');
  });
});
