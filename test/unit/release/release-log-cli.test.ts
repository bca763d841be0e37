/**
 * `crs release-log` against the release routes served over real HTTP (in-memory ports behind them):
 * it follows the cursors, writes one export that `crs verify-log` accepts unchanged, and writes nothing
 * when a page fails.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { command as releaseLog } from '../../../cli/commands/release-log.js';
import { command as verifyLog } from '../../../cli/commands/verify-log.js';
import { parseExport, toCsv } from '../../../functions/domain/release-log-format.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { invoke } from '../support/http.js';
import { requestAndApprove, testDeps } from './fakes.js';

process.env.LOG_LEVEL = 'silent';

const PEOPLE: Record<string, { staffId: string; groups: string[] }> = {
  keeper: { staffId: 'ccs-1', groups: ['role:release-log-keeper'] },
  listener: { staffId: 'req-1', groups: ['area:housing:listener'] },
};

const t = testDeps();
const handler = releaseRoutes(t.deps);
const dir = mkdtempSync(join(tmpdir(), 'release-log-cli-'));
const requests: string[] = [];
let server: Server;
const saved = { url: process.env.CRS_API_URL, token: process.env.CRS_TOKEN };

/** The gateway in miniature: the bearer token names the person; the route key comes from the path. */
const serve = () =>
  createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    requests.push(url.search);
    const who = PEOPLE[(req.headers.authorization ?? '').replace(/^Bearer /, '')] ?? PEOPLE.listener;
    const routeKey = `GET ${url.pathname}`;
    invoke(handler, routeKey, {
      ...who,
      query: Object.fromEntries(url.searchParams),
      headers: { accept: String(req.headers.accept ?? '') },
    }).then((reply) => {
      res.writeHead(reply.status, reply.headers);
      res.end(reply.text);
    });
  });

const run = async (command: typeof releaseLog, args: string[], token = 'keeper') => {
  process.env.CRS_TOKEN = token;
  const out: string[] = [];
  const spyLog = jest.spyOn(console, 'log').mockImplementation((m: string) => out.push(m));
  const spyErr = jest.spyOn(console, 'error').mockImplementation((m: string) => out.push(m));
  try {
    return { code: await command.run(args), out: out.join('\n') };
  } finally {
    spyLog.mockRestore();
    spyErr.mockRestore();
  }
};

beforeAll(async () => {
  // 7 releases requested and approved: 14 entries, checkpoints at 5 and 10.
  for (let i = 0; i < 7; i += 1) await requestAndApprove(handler, i);
  server = serve();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  process.env.CRS_API_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  process.env.CRS_API_URL = saved.url;
  process.env.CRS_TOKEN = saved.token;
  if (saved.url === undefined) delete process.env.CRS_API_URL;
  if (saved.token === undefined) delete process.env.CRS_TOKEN;
});

beforeEach(() => {
  requests.length = 0;
});

describe('crs release-log', () => {
  it.each([
    ['JSON', []],
    ['CSV', ['--csv']],
  ])('writes the whole log from pages as one %s export that verify-log accepts', async (_kind, flags) => {
    // Arrange
    const file = join(dir, `log-${flags.length}`);
    const key = join(dir, `key-${flags.length}.json`);
    // Act
    const exported = await run(releaseLog, [
      '--out',
      file,
      '--page-size',
      '4',
      '--public-key-out',
      key,
      ...flags,
    ]);
    const verified = await run(verifyLog, ['--export', file, '--public-key', key]);
    // Assert
    expect(exported.code).toBe(0);
    expect(requests).toHaveLength(5); // 4 pages + the public key
    expect(exported.out).toMatch(/4 entries so far \(page 1, more to come\)/);
    expect(exported.out).toMatch(/14 entries so far \(page 4\)/);
    expect(exported.out).toMatch(/wrote .*: 14 entries \(seq 1–14\) and 2 checkpoints from 4 pages/);
    const written = parseExport(readFileSync(file, 'utf8'));
    expect(written.entries).toEqual(await t.log.entries());
    expect(written.checkpoints).toEqual(await t.log.checkpoints());
    if (flags.length)
      expect(readFileSync(file, 'utf8')).toBe(toCsv(written.entries, written.checkpoints, written.anchored));
    expect(verified).toEqual({ code: 0, out: expect.stringMatching(/^OK: 14 entries, 2 checkpoints/) });
  });

  it('asks for the API default page size when none is given', async () => {
    const file = join(dir, 'default.json');
    const exported = await run(releaseLog, ['--out', file]);
    expect(exported.code).toBe(0);
    expect(requests).toEqual(['']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ complete: true });
  });

  it('fails verification once one entry of the written file is edited', async () => {
    // Arrange
    const file = join(dir, 'tampered.json');
    const key = join(dir, 'tampered-key.json');
    await run(releaseLog, ['--out', file, '--page-size', '3', '--public-key-out', key]);
    const exported = parseExport(readFileSync(file, 'utf8'));
    const seventh = exported.entries[6];
    if (!seventh) throw new Error('no entry 7');
    exported.entries[6] = { ...seventh, payload: { ...seventh.payload, purpose: 'dispute-verification' } };
    writeFileSync(file, JSON.stringify(exported));
    // Act
    const verified = await run(verifyLog, ['--export', file, '--public-key', key]);
    // Assert
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(/first bad entry: entry seq 7 /);
  });

  it('writes nothing and exits 3 when the API refuses the caller', async () => {
    const file = join(dir, 'refused.json');
    const refused = await run(releaseLog, ['--out', file], 'listener');
    expect(refused.code).toBe(3);
    expect(refused.out).toMatch(/HTTP 403.*nothing written/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it.each([
    [[]],
    [['--out', join(dir, 'x'), '--page-size', '0']],
    [['--out', join(dir, 'x'), '--page-size', '1001']],
  ])('exits 2 with usage for %j', async (args) => {
    const reply = await run(releaseLog, args);
    expect(reply.code).toBe(2);
    expect(reply.out).toMatch(/^usage: crs release-log/);
    expect(requests).toEqual([]);
  });
});
