/**
 * `crs upload` and `crs import` against the local stack, run as the platform engineer would run them
 * (a child process with CRS_API_URL and CRS_TOKEN).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { smallWav } from '../../bench/ingest-audio.js';
import { closeClients, runCrs, tokenFor } from './support.js';

jest.setTimeout(120_000);
afterAll(closeClients);

const RUN = Date.now().toString(36);
const meta = (callId: string, seconds: number) => ({
  callId,
  serviceArea: 'revenues',
  extension: '2002',
  direction: 'outbound',
  startedAt: '2026-10-11T14:00:00Z',
  endedAt: new Date(Date.parse('2026-10-11T14:00:00Z') + seconds * 1000).toISOString(),
  agentId: 'agent-cli',
  counterparty: 'withheld',
  notification: { method: 'agent-statement' },
  abuseReminder: false,
  verificationReminder: false,
  pci: { pausedSegments: [], cardDataCaptured: false },
});

const crs = async (...args: string[]) => runCrs({ CRS_TOKEN: await tokenFor('telephony') }, ...args);

describe('crs upload and crs import on the local stack', () => {
  it('uploads one recording and waits until it is archived', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crs-cli-'));
    await writeFile(join(dir, 'call.wav'), smallWav(20));
    const result = await crs(
      'upload',
      join(dir, 'call.wav'),
      '--meta',
      JSON.stringify(meta(`cli-${RUN}-1`, 20)),
    );
    expect(result.stdout).toContain('ARCHIVED');
    expect(result.code).toBe(0);
  });

  it('reports a refusal with its rule and a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crs-cli-'));
    await writeFile(join(dir, 'call.wav'), smallWav(5));
    const result = await crs(
      'upload',
      join(dir, 'call.wav'),
      '--meta',
      JSON.stringify({ ...meta(`cli-${RUN}-2`, 5), extension: '2901' }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('s4.extension-not-recorded');
  });

  it('imports a directory, then skips the archived calls when run again', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'crs-import-'));
    for (const n of [1, 2, 3]) {
      await writeFile(join(dir, `c${n}.wav`), smallWav(10 + n));
      await writeFile(join(dir, `c${n}.json`), JSON.stringify(meta(`cli-${RUN}-import-${n}`, 10 + n)));
    }
    // Act
    const first = await crs('import', dir, '--concurrency', '2');
    const second = await crs('import', dir);
    // Assert
    expect(first.stdout).toContain('archived 3, skipped 0');
    expect(first.code).toBe(0);
    expect(second.stdout).toContain('archived 0, skipped 3');
    expect(second.code).toBe(0);
  });
});
