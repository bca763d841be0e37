/**
 * Releases on the local stack, driven over HTTP as users would: a released copy is readable through its
 * link until completion or expiry, then gone; the Release of Recording Log shows each step and its
 * export verifies offline (and fails once tampered).
 *
 * Talks to the running stack at CRS_API_URL (default http://127.0.0.1:4000) through its `/_local/`
 * endpoints (persona tokens, jobs, stack info). Expiry is 30 days away, so that one sweep runs
 * in-process against the same DynamoDB / S3 / KMS with a clock moved past it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { command as verifyLog } from '../../cli/commands/verify-log.js';
import { runCrs } from './support.js';

// The stack shares two cores with everything else: allow slow steps, never assert on time.
jest.setTimeout(180_000); // spawns the CLI (tsx) several times: budgeted for a loaded 2-core machine

const BASE = (process.env.CRS_API_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
const DAY = 86_400_000;

interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test client over untyped JSON replies.
  json: any;
  text: string;
}

const tokens = new Map<string, string>();
const tokenFor = async (persona: string): Promise<string> => {
  const cached = tokens.get(persona);
  if (cached) return cached;
  const response = await fetch(`${BASE}/_local/token`, { method: 'POST', body: JSON.stringify({ persona }) });
  const { token } = (await response.json()) as { token: string };
  tokens.set(persona, token);
  return token;
};

const api = async (
  persona: string,
  method: string,
  path: string,
  body?: unknown,
  accept = 'application/json',
) => {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(persona)}`,
      'content-type': 'application/json',
      accept,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : {};
  return { status: response.status, json, text } as Reply;
};

/** The crs CLI as a user types it, against this stack, with its own saved token. */
const cliDir = mkdtempSync(join(tmpdir(), 'release-cli-'));
const crs = (...args: string[]) => runCrs({ CRS_TOKEN_FILE: join(cliDir, 'token') }, ...args);

const runJob = async (job: string) => {
  const response = await fetch(`${BASE}/_local/run/${job}`, { method: 'POST' });
  return (await response.json()) as { result?: { summary?: Record<string, unknown> } };
};

/** A 5-minute 8 kHz 8-bit mono WAV of silence: small, and a real file for the ingest probe. */
const wav = (seconds: number): Buffer => {
  const rate = 8000;
  const n = rate * seconds;
  const b = Buffer.alloc(44 + n, 128);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate, 28);
  b.writeUInt16LE(1, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36);
  b.writeUInt32LE(n, 40);
  return b;
};

const AUDIO = wav(300);

/** Registers a call on the seeded revenues extension, uploads the audio, waits for ARCHIVED. */
const ingestRecording = async (): Promise<string> => {
  const callId = `release-it-${Date.now()}-${Math.random().toString(16).slice(2, 8)}`;
  const registered = await api('telephony', 'POST', '/uploads', {
    callId,
    serviceArea: 'revenues',
    extension: '2001',
    direction: 'inbound',
    startedAt: '2026-10-10T09:00:00+00:00',
    endedAt: '2026-10-10T09:05:00+00:00',
    agentId: 'agent-7',
    counterparty: '+441632960123',
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: {
      format: 'wav',
      sizeBytes: AUDIO.length,
      sha256: createHash('sha256').update(AUDIO).digest('hex'),
    },
  });
  if (registered.status !== 201) throw new Error(`upload registration failed: ${registered.text}`);
  const { url, method, headers } = registered.json.upload;
  const put = await fetch(url, { method: method ?? 'PUT', headers, body: AUDIO });
  if (!put.ok) throw new Error(`upload failed: ${put.status}`);
  await fetch(`${BASE}/_local/queues?waitForIdle=10000`);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const status = await api('telephony', 'GET', `/uploads/${callId}`);
    if (status.json.status === 'ARCHIVED') return registered.json.recordingId as string;
    if (status.json.status !== 'PENDING') throw new Error(`ingest ended ${status.json.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('recording not archived');
};

const requestRelease = async (recordingId: string) => {
  const reply = await api('housing-listener', 'POST', '/releases', {
    recordingId,
    destination: { kind: 'service-area', serviceArea: 'housing' },
    purpose: 'dispute-verification',
    justification: 'Complaint C-1 escalated to housing',
  });
  if (reply.status !== 201) throw new Error(`request failed: ${reply.text}`);
  return reply.json.releaseId as string;
};

const events = async (releaseId: string): Promise<string[]> => {
  const reply = await api('release-log-keeper', 'GET', `/release-log?releaseId=${releaseId}`);
  return reply.json.entries.map(
    (e: { payload: { event: string; actor: string } }) => `${e.payload.event} by ${e.payload.actor}`,
  );
};

let recordingId: string;

describe('releases on the local stack', () => {
  beforeAll(async () => {
    recordingId = await ingestRecording();
  }, 120_000);

  it('serves the released copy through its link until completion, then it is gone', async () => {
    // Arrange
    const id = await requestRelease(recordingId);
    // Act
    const approved = await api('revenues-manager', 'POST', `/releases/${id}/approve`);
    const link = await api('housing-listener', 'GET', `/releases/${id}/link`);
    const before = await fetch(link.json.url);
    const copy = Buffer.from(await before.arrayBuffer());
    const completed = await api('housing-listener', 'POST', `/releases/${id}/complete`);
    const after = await fetch(link.json.url);
    await after.arrayBuffer();
    const again = await api('housing-listener', 'GET', `/releases/${id}/link`);
    // Assert
    expect(approved.json.state).toBe('ISSUED');
    expect(approved.json.copy.key).toMatch(new RegExp(`^releases/${id}/`));
    expect(before.status).toBe(200);
    expect(copy.equals(AUDIO)).toBe(true);
    expect(completed.json.state).toBe('COMPLETED');
    expect(after.status).toBe(404);
    expect(again.status).toBe(409);
    const audit = await api('ig-officer', 'GET', `/audit?recordingId=${recordingId}`);
    expect(audit.json.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'staff-housing-listener',
          action: 'share',
          rule: 's6.approved-release',
        }),
      ]),
    );
    expect(await events(id)).toEqual([
      'REQUESTED by staff-housing-listener',
      'APPROVED by staff-revenues-manager',
      'LINK_ISSUED by staff-housing-listener',
      'COMPLETED by staff-housing-listener',
    ]);
  });

  it('puts a read of the Release of Recording Log, and a refused one, on the access audit log', async () => {
    // Act
    const read = await api('release-log-keeper', 'GET', '/release-log?event=APPROVED');
    const refused = await api('housing-listener', 'GET', '/release-log');
    const keeper = await api('ig-officer', 'GET', '/audit?actor=staff-release-log-keeper&limit=5');
    const listener = await api('ig-officer', 'GET', '/audit?actor=staff-housing-listener&limit=5');
    // Assert
    expect([read.status, refused.status]).toEqual([200, 403]);
    expect(keeper.json.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'audit-read',
          outcome: 'allowed',
          rule: 's6.release-log-keeper',
          filters: { log: 'release-of-recording-log', event: 'APPROVED' },
        }),
      ]),
    );
    expect(listener.json.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'audit-read',
          outcome: 'denied',
          filters: { log: 'release-of-recording-log' },
        }),
      ]),
    );
  });

  it('takes a release from request to completion with crs release, refusing self-approval', async () => {
    // Arrange: each person signed in with their own saved token
    const as = (persona: string) => {
      const file = join(cliDir, `${persona}.token`);
      return async (...args: string[]) => {
        await runCrs({ CRS_TOKEN_FILE: file }, 'login', '--as', persona);
        return runCrs({ CRS_TOKEN_FILE: file }, ...args);
      };
    };
    const requester = as('housing-listener');
    const siro = as('siro');
    const out = join(cliDir, 'released.wav');
    // Act
    const requested = await requester(
      'release',
      'request',
      recordingId,
      '--purpose',
      'dispute-verification',
      '--to-area',
      'housing',
      '--justification',
      'Complaint C-9 escalated to housing',
    );
    const releaseId = /release (\S+): REQUESTED/.exec(requested.stdout)?.[1] ?? '';
    const selfApproval = await requester('release', 'approve', releaseId);
    const queue = await siro('release', 'list', '--state', 'REQUESTED');
    const approved = await siro('release', 'approve', releaseId);
    const downloaded = await requester('release', 'download', releaseId, '--out', out);
    const completed = await requester('release', 'complete', releaseId);
    const afterwards = await requester('release', 'download', releaseId, '--out', join(cliDir, 'late.wav'));
    // Assert
    expect(requested.code).toBe(0);
    expect(selfApproval.code).toBe(1);
    expect(selfApproval.stderr).toContain('HTTP 403');
    expect(queue.stdout).toMatch(/^RELEASE\s+STATE\s+RECORDING/);
    expect(queue.stdout).toContain(releaseId);
    expect(approved.stdout).toMatch(new RegExp(`release ${releaseId}: ISSUED, approved by staff-siro`));
    expect(downloaded.code).toBe(0);
    expect(readFileSync(out).equals(AUDIO)).toBe(true);
    expect(completed.stdout).toMatch(
      new RegExp(`release ${releaseId}: COMPLETED, approved by staff-siro; copy deleted at `),
    );
    expect(afterwards.code).toBe(1);
    expect(await events(releaseId)).toEqual([
      'REQUESTED by staff-housing-listener',
      'APPROVED by staff-siro',
      'LINK_ISSUED by staff-housing-listener',
      'COMPLETED by staff-housing-listener',
    ]);
  });

  it('refuses a tampered link', async () => {
    const id = await requestRelease(recordingId);
    await api('siro', 'POST', `/releases/${id}/approve`);
    const link = await api('housing-listener', 'GET', `/releases/${id}/link`);
    const url = new URL(link.json.url);
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('a') ? 'b' : 'a'}`,
    );
    const tampered = await fetch(url);
    await tampered.arrayBuffer();
    expect(tampered.status).toBe(403);
  });

  it('lets exactly one of two concurrent approvals win', async () => {
    const id = await requestRelease(recordingId);
    const replies = await Promise.all([
      api('revenues-manager', 'POST', `/releases/${id}/approve`),
      api('siro', 'POST', `/releases/${id}/approve`),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await events(id)).filter((e) => e.startsWith('APPROVED'))).toHaveLength(1);
  });

  it('deletes the copy once it expires (sweeper), then refuses links; the log shows it', async () => {
    // Arrange: an issued release; the sweep runs in-process with a clock 31 days ahead.
    const id = await requestRelease(recordingId);
    await api('revenues-head-of-service', 'POST', `/releases/${id}/approve`);
    const link = await api('housing-listener', 'GET', `/releases/${id}/link`);
    const stack = (await (await fetch(`${BASE}/_local/stack`)).json()) as { env: Record<string, string> };
    Object.assign(process.env, stack.env, { LOG_LEVEL: 'silent' });
    const { awsReleaseDeps } = await import('../../functions/release/deps.js');
    const { releaseExpiryJob } = await import('../../functions/release/use-cases-jobs.js');
    const later = new Date(Date.now() + 31 * DAY);
    // Act
    const swept = await releaseExpiryJob({ ...awsReleaseDeps(), now: () => later });
    const after = await fetch(link.json.url);
    await after.arrayBuffer();
    const state = await api('housing-listener', 'GET', `/releases/${id}`);
    const again = await api('housing-listener', 'GET', `/releases/${id}/link`);
    // Assert
    expect(swept.copiesExpired).toBeGreaterThanOrEqual(1);
    expect(after.status).toBe(404);
    expect(state.json.state).toBe('EXPIRED');
    expect(again.status).toBe(409);
    expect((await events(id)).at(-1)).toBe('EXPIRED by system:sweeper');
  });

  it('keeps one unbroken chain when many officers write to the log at once', async () => {
    // Arrange / Act: six requests at once, then their six approvals at once.
    const ids = await Promise.all(Array.from({ length: 6 }, () => requestRelease(recordingId)));
    const approvals = await Promise.all(ids.map((id) => api('siro', 'POST', `/releases/${id}/approve`)));
    const exported = await api('release-log-keeper', 'GET', '/release-log');
    // Assert
    expect(approvals.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const seqs = exported.json.entries.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const { verifyChain } = await import('../../functions/domain/hash-chain.js');
    expect(verifyChain(exported.json.entries)).toMatchObject({ ok: true });
    for (const id of ids)
      expect(await events(id)).toEqual(['REQUESTED by staff-housing-listener', 'APPROVED by staff-siro']);
  });

  it('exports a log that verify-log accepts after a checkpoint, and rejects once an entry is edited', async () => {
    // Arrange
    await runJob('release-log-checkpoint');
    const csv = await api('release-log-keeper', 'GET', '/release-log', undefined, 'text/csv');
    const key = await api('housing-listener', 'GET', '/release-log/public-key');
    const dir = mkdtempSync(join(tmpdir(), 'release-it-'));
    const files = { csv: join(dir, 'log.csv'), bad: join(dir, 'bad.csv'), key: join(dir, 'key.json') };
    writeFileSync(files.csv, csv.text);
    writeFileSync(files.key, key.text);
    const lines = csv.text.split('\r\n');
    const row = lines.findIndex((l) => l.startsWith('releases,') && l.includes('APPROVED'));
    lines[row] = (lines[row] as string).replace('dispute-verification', 'training');
    writeFileSync(files.bad, lines.join('\r\n'));
    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((m: string) => output.push(m));
    const error = jest.spyOn(console, 'error').mockImplementation((m: string) => output.push(m));
    // Act
    const good = await verifyLog.run(['--export', files.csv, '--public-key', files.key]);
    const bad = await verifyLog.run(['--export', files.bad, '--public-key', files.key]);
    log.mockRestore();
    error.mockRestore();
    // Assert
    expect(csv.status).toBe(200);
    expect(good).toBe(0);
    expect(bad).toBe(1);
    expect(output.join('\n')).toMatch(/first bad entry: entry seq \d+ .*content does not match its hash/);
  });

  it('exports the log page by page with crs release-log into a file verify-log accepts, and rejects once edited', async () => {
    // Arrange: at least 6 entries of our own, so pages of 5 make at least two pages.
    const ids = [
      await requestRelease(recordingId),
      await requestRelease(recordingId),
      await requestRelease(recordingId),
    ];
    for (const id of ids) await api('siro', 'POST', `/releases/${id}/approve`);
    await runJob('release-log-checkpoint');
    const whole = await api('release-log-keeper', 'GET', '/release-log');
    const files = {
      json: join(cliDir, 'log.json'),
      csv: join(cliDir, 'log.csv'),
      key: join(cliDir, 'key.json'),
    };
    const login = await crs('login', '--as', 'release-log-keeper');
    // Act
    const json = await crs(
      'release-log',
      '--out',
      files.json,
      '--page-size',
      '5',
      '--public-key-out',
      files.key,
    );
    const csv = await crs('release-log', '--csv', '--out', files.csv, '--page-size', '5');
    const goodJson = await crs('verify-log', '--export', files.json, '--public-key', files.key);
    const goodCsv = await crs('verify-log', '--export', files.csv, '--public-key', files.key);
    const tampered = JSON.parse(readFileSync(files.json, 'utf8'));
    const approved = tampered.entries.findIndex(
      (e: { payload: { event: string } }) => e.payload.event === 'APPROVED',
    );
    tampered.entries[approved].payload.purpose = 'training';
    const bad = join(cliDir, 'bad.json');
    writeFileSync(bad, JSON.stringify(tampered));
    const badJson = await crs('verify-log', '--export', bad, '--public-key', files.key);
    // Assert
    expect(login.code).toBe(0);
    const n = whole.json.entries.length as number;
    expect(whole.json.complete).toBe(true);
    expect(n).toBeGreaterThanOrEqual(6);
    expect(json).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/5 entries so far \(page 1, more to come\)/),
    });
    const pages = Number(/from (\d+) pages/.exec(json.stdout)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(json.stdout).toMatch(/wrote .*: \d+ entries \(seq 1–\d+\)/);
    const written = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(written.entries.slice(0, n)).toEqual(whole.json.entries);
    expect(written.checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(csv.code).toBe(0);
    expect(goodJson).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ entries/) });
    expect(goodCsv).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: \d+ entries/) });
    expect(badJson.code).toBe(1);
    expect(badJson.stderr).toMatch(
      new RegExp(
        `first bad entry: entry seq ${tampered.entries[approved].seq} .*content does not match its hash`,
      ),
    );
  }, 120_000);
});
