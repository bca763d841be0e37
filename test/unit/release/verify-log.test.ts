import { sign } from 'node:crypto';
/**
 * Tamper tests: `crs verify-log` on a real export (built by the release use cases over in-memory
 * ports, signed with a P-256 key as KMS signs) fails and names the entry after any single change.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { command } from '../../../cli/commands/verify-log.js';
import { linkHash, nextLink } from '../../../functions/domain/hash-chain.js';
import {
  type CheckpointLink,
  checkpointMessage,
  type EntryLink,
  type LogExport,
  parseExport,
  toCsv,
} from '../../../functions/domain/release-log-format.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { invoke } from '../support/http.js';
import { localSigner, requestAndApprove, testDeps } from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: [] };
const KEEPER = { staffId: 'ccs-1', groups: ['role:release-log-keeper'] };

/** 4 releases: request, approve, link, complete each = 16 entries, checkpoints at 5, 10, 15. */
const buildLog = async () => {
  const t = testDeps();
  const handler = releaseRoutes(t.deps);
  for (let i = 0; i < 4; i += 1) {
    const params = { id: await requestAndApprove(handler, i) };
    await invoke(handler, 'GET /releases/{id}/link', { ...REQUESTER, params });
    await invoke(handler, 'POST /releases/{id}/complete', { ...REQUESTER, params });
  }
  const json = (await invoke(handler, 'GET /release-log', KEEPER)).text;
  const csv = (await invoke(handler, 'GET /release-log', { ...KEEPER, headers: { accept: 'text/csv' } }))
    .text;
  const key = (await invoke(handler, 'GET /release-log/public-key', REQUESTER)).text;
  return { json, csv, key, signer: t.signer };
};

let built: Awaited<ReturnType<typeof buildLog>>;
const dir = mkdtempSync(join(tmpdir(), 'verify-log-'));

const run = async (exported: LogExport | string, asCsv = true) => {
  const content =
    typeof exported === 'string'
      ? exported
      : asCsv
        ? toCsv(exported.entries, exported.checkpoints)
        : JSON.stringify(exported);
  const file = join(dir, `export-${Math.random().toString(16).slice(2)}.${asCsv ? 'csv' : 'json'}`);
  const keyFile = join(dir, 'key.json');
  writeFileSync(file, content);
  writeFileSync(keyFile, built.key);
  const errors: string[] = [];
  const out: string[] = [];
  const spyErr = jest.spyOn(console, 'error').mockImplementation((m: string) => errors.push(m));
  const spyLog = jest.spyOn(console, 'log').mockImplementation((m: string) => out.push(m));
  try {
    const code = await command.run(['--export', file, '--public-key', keyFile]);
    return { code, errors: errors.join('\n'), out: out.join('\n') };
  } finally {
    spyErr.mockRestore();
    spyLog.mockRestore();
  }
};

const exported = (): LogExport => parseExport(built.csv);
const entry = (e: LogExport, seq: number): EntryLink => {
  const found = e.entries.find((x) => x.seq === seq);
  if (!found) throw new Error(`no entry ${seq}`);
  return found;
};

describe('crs verify-log', () => {
  beforeAll(async () => {
    built = await buildLog();
  });

  it('accepts an untouched CSV export and an untouched JSON export', async () => {
    // Act
    const csv = await run(built.csv);
    const json = await run(built.json, false);
    // Assert
    expect(csv).toMatchObject({ code: 0 });
    expect(csv.out).toMatch(/OK: 16 entries, 3 checkpoints verified; signed up to seq 15 \(1 newer/);
    expect(json.code).toBe(0);
  });

  it('fails naming the entry when one field of one entry is changed', async () => {
    // Arrange
    const e = exported();
    const i = e.entries.findIndex((x) => x.seq === 6);
    const victim = entry(e, 6);
    e.entries[i] = { ...victim, payload: { ...victim.payload, authoriser: 'chief-exec-1' } };
    // Act
    const result = await run(e);
    // Assert
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: entry seq 6 .*content does not match its hash/);
  });

  it('fails naming the entry when one entry is deleted', async () => {
    const e = exported();
    const result = await run({ ...e, entries: e.entries.filter((x) => x.seq !== 9) });
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: entry seq 10 \(row 9\): expected sequence 9, found 10/);
  });

  it('fails naming the entry when the last entry is deleted after a checkpoint covered it', async () => {
    const e = exported();
    const result = await run({ ...e, entries: e.entries.filter((x) => x.seq <= 14) });
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: entry seq 15: missing, but checkpoint seq 3/);
  });

  it('fails naming the entry when two entries are swapped', async () => {
    const e = exported();
    const a = e.entries.findIndex((x) => x.seq === 3);
    const b = e.entries.findIndex((x) => x.seq === 4);
    [e.entries[a], e.entries[b]] = [e.entries[b] as EntryLink, e.entries[a] as EntryLink];
    const result = await run(e);
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: entry seq 4 \(row 3\): expected sequence 3, found 4/);
  });

  it('fails when an entry is rewritten and every later hash recomputed: the checkpoint names it', async () => {
    // Arrange: a forger who knows the (public) hash function rebuilds the chain from entry 2 on.
    const e = exported();
    const rebuilt: EntryLink[] = [];
    for (const link of e.entries) {
      const payload = link.seq === 2 ? { ...link.payload, purpose: 'other' } : link.payload;
      rebuilt.push(nextLink(link.chain, rebuilt.at(-1), payload, new Date(link.at)));
    }
    // Act
    const result = await run({ ...e, entries: rebuilt });
    // Assert
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(
      /first bad entry: entry seq 5: its hash differs from the one signed in checkpoint seq 1: an entry in seq 1–5 was rewritten/,
    );
  });

  it('fails naming the checkpoint when a checkpoint is forged with another key', async () => {
    // Arrange: the forger signs a rebuilt chain's head with their own key and fixes the checkpoint hashes.
    const e = exported();
    const forger = localSigner();
    const forged: CheckpointLink[] = [];
    for (const cp of e.checkpoints) {
      const message = checkpointMessage(cp.payload);
      const signature =
        cp.seq === 2
          ? sign('sha256', message, forger.keys.privateKey).toString('base64')
          : cp.payload.signature;
      forged.push(nextLink(cp.chain, forged.at(-1), { ...cp.payload, signature }, new Date(cp.at)));
    }
    // Act
    const result = await run({ ...e, checkpoints: forged });
    // Assert
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: checkpoint seq 2: signature does not verify/);
  });

  it('fails naming the checkpoint when its signed head is edited', async () => {
    const e = exported();
    const cp = e.checkpoints[0] as CheckpointLink;
    const payload = { ...cp.payload, headSeq: 4 };
    e.checkpoints[0] = { ...cp, payload, hash: linkHash({ ...cp, payload }) };
    const result = await run(e);
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/checkpoint seq 1/);
  });

  it('fails when a CSV cell is edited in place', async () => {
    // Arrange: edit the text of the export itself, as someone with a spreadsheet would.
    const lines = built.csv.split('\r\n');
    const row = lines.findIndex((l) => l.startsWith('releases,7,'));
    lines[row] = (lines[row] as string).replace('mgr-1', 'mgr-9');
    // Act
    const result = await run(lines.join('\r\n'));
    // Assert
    expect(result.code).toBe(1);
    expect(result.errors).toMatch(/first bad entry: entry seq 7/);
  });

  it('exits 2 with usage when an argument is missing', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    expect(await command.run(['--export', 'x.csv'])).toBe(2);
    spy.mockRestore();
  });
});
