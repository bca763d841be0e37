/**
 * `crs upload` and `crs import` against the local stack, run as the platform engineer would run them
 * (a child process with CRS_API_URL and CRS_TOKEN).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { smallWav } from '../../bench/ingest-audio.js';
import { addMonthsUtc } from '../../functions/domain/retention.js';
import { api, closeClients, runCrs, tokenFor } from './support.js';

jest.setTimeout(180_000); // spawns the CLI (tsx): budgeted for a loaded 2-core machine
afterAll(closeClients);

const RUN = Date.now().toString(36);
const meta = (callId: string, seconds: number, startedAt = '2026-10-11T14:00:00Z') => ({
  callId,
  serviceArea: 'revenues',
  extension: '2002',
  direction: 'outbound',
  startedAt,
  endedAt: new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
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

  it('imports calls of every age: 13 months old archived and due at 24 months, past 24 months and future refused', async () => {
    // Arrange: dates relative to today, on the 15th so month arithmetic needs no clamping
    const monthsAgo = (n: number) => {
      const d = addMonthsUtc(new Date(), -n);
      d.setUTCDate(15);
      d.setUTCHours(10, 0, 0, 0);
      return d;
    };
    const old = monthsAgo(13);
    const dir = await mkdtemp(join(tmpdir(), 'crs-import-ages-'));
    const files = {
      a13: meta(`cli-${RUN}-age-13`, 8, old.toISOString()),
      b25: meta(`cli-${RUN}-age-25`, 8, monthsAgo(25).toISOString()),
      cfuture: meta(`cli-${RUN}-age-future`, 8, new Date(Date.now() + 3_600_000).toISOString()),
    };
    for (const [name, m] of Object.entries(files)) {
      await writeFile(join(dir, `${name}.wav`), smallWav(8));
      await writeFile(join(dir, `${name}.json`), JSON.stringify(m));
    }
    // Act
    const result = await crs('import', dir);
    // Assert: one line per file with its outcome, then the summary
    const due = addMonthsUtc(old, 24).toISOString();
    expect(result.stdout).toMatch(
      new RegExp(`a13\\.wav: archived as [0-9a-f-]{36}, delete after ${due.slice(0, 10)}`),
    );
    expect(result.stderr).toContain('b25.wav: refused (HTTP 422, rule s7.deleted-after-24-months)');
    expect(result.stderr).toContain('cfuture.wav: refused (HTTP 400, field body.startedAt)');
    expect(result.stdout).toContain('archived 1, skipped 0, quarantined 0, refused 2, failed 0');
    expect(result.code).toBe(1);
    const status = await api('telephony').get(`/uploads/${files.a13.callId}`);
    expect(status.json).toMatchObject({ status: 'ARCHIVED', deleteAfter: due });
  });
});
