/**
 * `crs hold` as IG types it, against the local stack: a query hold over 30 recordings is followed to the
 * end and every recording is held in S3; the hold is listed; lifting it releases them all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import {
  archiveKeyOf,
  catalogueEntry,
  localStack,
  objectLockState,
  type SeedRecording,
  seedRecordings,
} from './holds-support.js';
import { runCrs } from './support.js';

jest.setTimeout(180_000);

const run = Date.now().toString(36);
const area = `hold-cli-${run}`;
const recordings: SeedRecording[] = Array.from({ length: 30 }, (_, n) => ({
  recordingId: `hold-cli-${run}-${n}`,
  serviceArea: area,
  startedAt: `2026-03-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00.000Z`,
}));
const dir = mkdtempSync(join(tmpdir(), 'crs-hold-'));
const crs = (...args: string[]) => runCrs({ CRS_TOKEN_FILE: join(dir, 'token') }, ...args);

const heldInS3 = async (r: SeedRecording) => (await objectLockState(localStack(), archiveKeyOf(r))).legalHold;

describe('crs hold', () => {
  it('places a query hold, follows it until every recording is held, lists it, and lifts it', async () => {
    // Arrange
    await seedRecordings(localStack(), recordings);
    await crs('login', '--as', 'ig-officer');
    // Act
    const placed = await crs(
      'hold',
      'place',
      '--case',
      `CLI-${run}`,
      '--reason',
      'tribunal claim',
      '--review',
      '2027-06-30',
      '--area',
      area,
      '--from',
      '2026-03-01T00:00:00Z',
      '--to',
      '2026-03-31T23:59:59Z',
    );
    const holdId = /hold (\S+) \(case/.exec(placed.stdout)?.[1] ?? '';
    const listed = await crs('hold', 'list');
    const held = await Promise.all([recordings[0], recordings[29]].map((r) => heldInS3(r as SeedRecording)));
    const lifted = await crs('hold', 'lift', holdId, '--reason', 'claim settled');
    const released = await Promise.all(
      [recordings[0], recordings[29]].map((r) => heldInS3(r as SeedRecording)),
    );
    // Assert
    expect(placed.code).toBe(0);
    expect(placed.stdout).toMatch(/: complete; matched 30, held 30, failed 0/);
    expect(listed.stdout).toMatch(/^HOLD\s+CASE\s+STATE/);
    expect(listed.stdout).toContain(holdId);
    expect(held).toEqual(['ON', 'ON']);
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toMatch(/: lifted; matched 30, held 30, failed 0, released 30/);
    expect(released).toEqual(['OFF', 'OFF']);
    expect((await catalogueEntry(localStack(), recordings[7]?.recordingId as string))?.holdCount).toBe(0);
  });

  it('passes the API refusal through for staff who are not IG, and shows usage for a half command', async () => {
    // Arrange
    const listenerDir = mkdtempSync(join(tmpdir(), 'crs-hold-listener-'));
    const listener = (...args: string[]) => runCrs({ CRS_TOKEN_FILE: join(listenerDir, 'token') }, ...args);
    await listener('login', '--as', 'revenues-listener');
    // Act
    const refused = await listener('hold', 'list');
    const half = await crs('hold', 'place', '--case', 'X');
    // Assert
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 403');
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/^usage:/);
  });
});
