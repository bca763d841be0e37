/**
 * GET /release-log in pages: the full export is answered `limit` entries at a time after an opaque
 * cursor; checkpoints travel with the last page, so all pages together are the unpaged export.
 */
import type { ReleaseLogPayload } from '../../../functions/domain/release.js';
import {
  type CheckpointLink,
  type EntryLink,
  parsePublicKey,
  toCsv,
  verifyExport,
} from '../../../functions/domain/release-log-format.js';
import type { ReleaseConfig, ReleaseLogStore } from '../../../functions/ports/release.js';
import { releaseRoutes } from '../../../functions/release/routes.js';
import { releaseLogCheckpointJob } from '../../../functions/release/use-cases-jobs.js';
import { invoke, type Reply } from '../support/http.js';
import { requestAndApprove, testDeps } from './fakes.js';

type TestDeps = ReturnType<typeof testDeps>;

process.env.LOG_LEVEL = 'silent';

const REQUESTER = { staffId: 'req-1', groups: ['area:housing:listener'] };
const KEEPER = { staffId: 'ccs-1', groups: ['role:release-log-keeper'] };

interface Page {
  format: string;
  complete: boolean;
  page?: { afterSeq: number; lastSeq: number; limit: number };
  entries: EntryLink[];
  checkpoints: CheckpointLink[];
  anchored: CheckpointLink[];
  cursor?: string;
  field?: string;
}

const cursorOf = (payload: unknown) => Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

/** A log of 14 entries (7 releases requested and approved); checkpoints at 5 and 10 (every 5). */
const setup = async (
  wrap: (t: TestDeps) => ReleaseLogStore = (t) => t.log,
  config: Partial<ReleaseConfig> = {},
) => {
  const t = testDeps(config);
  const reads: { afterSeq: number; limit: number }[] = [];
  let wholeReads = 0;
  const log = wrap(t);
  const counted: ReleaseLogStore = {
    ...log,
    entries: async () => {
      wholeReads += 1;
      return log.entries();
    },
    entriesAfter: async (afterSeq, limit) => {
      reads.push({ afterSeq, limit });
      return log.entriesAfter(afterSeq, limit);
    },
  };
  const handler = releaseRoutes({ ...t.deps, log: counted });
  for (let i = 0; i < 7; i += 1) await requestAndApprove(handler, i);
  // Only the reads of the export count, not those checkpoint signing made while the log was filled.
  reads.splice(0);
  const get = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    invoke<Page>(handler, 'GET /release-log', { ...KEEPER, query, headers });
  /** Follows the cursors from the first page to the last. */
  const walk = async (query: Record<string, string>) => {
    const pages: Reply<Page>[] = [];
    let cursor: string | undefined;
    do {
      const reply = await get(cursor ? { ...query, cursor } : query);
      if (reply.status !== 200) throw new Error(`page ${pages.length + 1}: ${reply.status} ${reply.text}`);
      pages.push(reply);
      cursor = query.format === 'csv' ? reply.headers['x-next-cursor'] : reply.json.cursor;
    } while (cursor && pages.length < 100);
    return pages;
  };
  const publicKey = parsePublicKey(
    (await invoke<{ publicKeyPem: string }>(handler, 'GET /release-log/public-key', REQUESTER)).json
      .publicKeyPem,
  );
  return { ...t, get, walk, reads, wholeReads: () => wholeReads, publicKey };
};

describe('GET /release-log in pages', () => {
  it('pages concatenate to the unpaged chain: every entry once, in order, checkpoints on the last page only', async () => {
    // Arrange
    const { walk, log, publicKey } = await setup();
    const chain = await log.entries();
    const checkpoints = await log.checkpoints();
    // Act
    const pages = (await walk({ limit: '4' })).map((p) => p.json);
    // Assert
    expect(chain).toHaveLength(14);
    expect(checkpoints.map((c) => c.payload.headSeq)).toEqual([5, 10]);
    expect(pages.map((p) => p.entries.map((e) => e.seq))).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11, 12],
      [13, 14],
    ]);
    expect(pages.map((p) => p.page)).toEqual([
      { afterSeq: 0, lastSeq: 4, limit: 4 },
      { afterSeq: 4, lastSeq: 8, limit: 4 },
      { afterSeq: 8, lastSeq: 12, limit: 4 },
      { afterSeq: 12, lastSeq: 14, limit: 4 },
    ]);
    expect(pages.map((p) => p.checkpoints.length)).toEqual([0, 0, 0, 2]);
    expect(pages.map((p) => p.complete)).toEqual([false, false, false, false]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([false, false, false, true]);
    const entries = pages.flatMap((p) => p.entries);
    const last = pages.at(-1) as Page;
    expect(entries).toEqual(chain);
    expect(last.checkpoints).toEqual(checkpoints);
    expect(
      verifyExport(
        { format: 'crs-release-log/1', entries, checkpoints: last.checkpoints, anchored: last.anchored },
        publicKey,
      ),
    ).toEqual({
      ok: true,
      entries: 14,
      checkpoints: 2,
      attestedTo: 10,
      unattested: 4,
    });
  });

  it('answers the whole log on one complete page when it fits, as before paging', async () => {
    // Arrange
    const { get, log } = await setup();
    // Act
    const whole = await get();
    const exact = await get({ limit: '14' });
    const oneShort = await get({ limit: '13' });
    // Assert
    expect(whole.json).toEqual({
      format: 'crs-release-log/1',
      complete: true,
      page: { afterSeq: 0, lastSeq: 14, limit: 1000 },
      entries: await log.entries(),
      checkpoints: await log.checkpoints(),
      anchored: [(await log.checkpoints()).at(-1)],
    });
    expect(exact.json.complete).toBe(true);
    expect(exact.json.cursor).toBeUndefined();
    expect(oneShort.json.complete).toBe(false);
    expect(oneShort.json.entries).toHaveLength(13);
    expect(oneShort.json.checkpoints).toEqual([]);
    expect(oneShort.json.cursor).toEqual(expect.any(String));
  });

  it('honours the limit and reads only what the page needs, never the whole chain', async () => {
    // Arrange
    const { walk, get, reads, wholeReads } = await setup();
    // Act
    await walk({ limit: '5' });
    await get();
    // Assert: one entry beyond the page tells whether another page follows.
    expect(reads).toEqual([
      { afterSeq: 0, limit: 6 },
      { afterSeq: 5, limit: 6 },
      { afterSeq: 10, limit: 6 },
      { afterSeq: 0, limit: 1001 },
    ]);
    expect(wholeReads()).toBe(0);
  });

  it('ends a page early when its entries would outgrow the byte budget, and still covers the whole chain', async () => {
    // Arrange: a budget of about three entries as they travel in the Lambda response.
    const size = (e: EntryLink) => Buffer.byteLength(JSON.stringify(JSON.stringify(e)));
    const sum = (es: EntryLink[]) => es.reduce((n, e) => n + size(e), 0);
    const largest = Math.max(...(await (await setup()).log.entries()).map(size));
    const budget = 3 * largest;
    const { walk, log } = await setup(undefined, { logPageBytes: budget });
    // Act
    const pages = (await walk({})).map((p) => p.json);
    // Assert: each page as full as the budget allows, none over it, together the whole chain.
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const [i, p] of pages.entries()) {
      expect(sum(p.entries)).toBeLessThanOrEqual(budget);
      const next = pages[i + 1]?.entries[0];
      if (next) expect(sum(p.entries) + size(next)).toBeGreaterThan(budget);
    }
    expect(pages.flatMap((p) => p.entries)).toEqual(await log.entries());
    expect(pages.at(-1)?.checkpoints).toEqual(await log.checkpoints());
  });

  it('moves on by one entry when a single entry is larger than the byte budget', async () => {
    const { walk } = await setup(undefined, { logPageBytes: 1 });
    const pages = (await walk({ limit: '5' })).map((p) => p.json);
    expect(pages.map((p) => p.entries.length)).toEqual(Array.from({ length: 14 }, () => 1));
  });

  it.each([
    ['0', 'query.limit'],
    ['1001', 'query.limit'],
    ['2.5', 'query.limit'],
    ['many', 'query.limit'],
  ])('refuses limit=%s with 400 naming %s', async (limit, field) => {
    const { get } = await setup();
    const reply = await get({ limit });
    expect(reply.status).toBe(400);
    expect(reply.json.field).toBe(field);
  });

  it.each([
    ['not base64url', 'a cursor!'],
    ['not JSON', Buffer.from('seq=4').toString('base64url')],
    ['another chain (the audit log)', cursorOf({ chain: 'audit', seq: 4 })],
    ['the checkpoint chain', cursorOf({ chain: 'checkpoints', seq: 1 })],
    ['an index key (another query)', cursorOf({ chain: 'releases', seq: 4, gsi1pk: 'RELEASE#rel-1' })],
    ['seq 0', cursorOf({ chain: 'releases', seq: 0 })],
    ['a fractional seq', cursorOf({ chain: 'releases', seq: 2.5 })],
    ['a seq as text', cursorOf({ chain: 'releases', seq: '4' })],
    ['a seq past the head', cursorOf({ chain: 'releases', seq: 14 })],
    ['a seq far past the head', cursorOf({ chain: 'releases', seq: 99_999 })],
  ])(
    'refuses a cursor that is not ours (%s) with 400 naming query.cursor, writing nothing',
    async (_what, cursor) => {
      // Arrange
      const { get, log, logReads } = await setup();
      const before = log.all.length;
      // Act
      const json = await get({ cursor });
      const csv = await get({ cursor, format: 'csv' });
      // Assert: nothing appended to the release log, nor to the access audit log
      expect(json.status).toBe(400);
      expect(json.json.field).toBe('query.cursor');
      expect(csv.status).toBe(400);
      expect(log.all).toHaveLength(before);
      expect(logReads).toEqual([]);
    },
  );

  it('puts the next cursor of a CSV page in x-next-cursor and link headers; the bodies stitch into the unpaged CSV', async () => {
    // Arrange
    const { walk, log } = await setup();
    const signed = await log.checkpoints();
    const unpaged = toCsv(await log.entries(), signed, signed.slice(-1));
    // Act
    const pages = await walk({ format: 'csv', limit: '6' });
    // Assert
    expect(pages).toHaveLength(3);
    const [first, second, last] = pages as [Reply<Page>, Reply<Page>, Reply<Page>];
    expect(first.headers['content-type']).toMatch(/^text\/csv/);
    expect(first.headers.link).toBe(
      `</release-log?format=csv&limit=6&cursor=${first.headers['x-next-cursor']}>; rel="next"`,
    );
    expect(second.headers['x-next-cursor']).toEqual(expect.any(String));
    expect(last.headers['x-next-cursor']).toBeUndefined();
    expect(last.headers.link).toBeUndefined();
    const header = `${unpaged.split('\r\n')[0]}\r\n`;
    expect(pages.every((p) => p.text.startsWith(header))).toBe(true);
    const stitched = pages.map((p, i) => (i === 0 ? p.text : p.text.slice(header.length))).join('');
    expect(stitched).toBe(unpaged);
  });

  it('follows a log that grows between pages: the last page reaches the new head', async () => {
    // Arrange
    const { get, deps, log } = await setup();
    const first = await get({ limit: '10' });
    await deps.log.append({
      ...(await log.entries())[0]?.payload,
      event: 'LINK_ISSUED',
    } as ReleaseLogPayload);
    // Act
    const second = await get({ limit: '10', cursor: first.json.cursor as string });
    // Assert
    expect([...first.json.entries, ...second.json.entries].map((e) => e.seq)).toEqual(
      Array.from({ length: 15 }, (_, i) => i + 1),
    );
    expect(second.json.cursor).toBeUndefined();
  });

  it('leaves out of the last page a checkpoint signed after its entries were read', async () => {
    // Arrange: an entry and its signed checkpoint land between reading the entries and the checkpoints.
    let race: (() => Promise<void>) | undefined;
    const { get, publicKey, log, deps } = await setup((t) => ({
      ...t.log,
      checkpoints: async () => {
        await race?.();
        return t.log.checkpoints();
      },
    }));
    const latest = (await log.entries())[13]?.payload as ReleaseLogPayload;
    race = async () => {
      race = undefined;
      await log.append({ ...latest, event: 'LINK_ISSUED' });
      await releaseLogCheckpointJob(deps);
    };
    // Act
    const reply = await get();
    // Assert
    expect((await log.checkpoints()).map((c) => c.payload.headSeq)).toEqual([5, 10, 15]);
    expect(reply.json.entries).toHaveLength(14);
    expect(reply.json.checkpoints.map((c) => c.payload.headSeq)).toEqual([5, 10]);
    expect(verifyExport(reply.json as never, publicKey)).toMatchObject({ ok: true, attestedTo: 10 });
  });

  it('keeps filtered views whole and refuses to page them, naming the field', async () => {
    // Arrange
    const { get } = await setup();
    // Act
    const filtered = await get({ requester: 'req-1', event: 'APPROVED' });
    const withCursor = await get({ requester: 'req-1', cursor: cursorOf({ chain: 'releases', seq: 4 }) });
    const withLimit = await get({ from: '2026-01-01T00:00:00Z', limit: '5' });
    // Assert
    expect(filtered.status).toBe(200);
    expect(filtered.json.complete).toBe(false);
    expect(filtered.json.entries).toHaveLength(7);
    expect(filtered.json.cursor).toBeUndefined();
    expect(withCursor.status).toBe(400);
    expect(withCursor.json.field).toBe('query.cursor');
    expect(withLimit.status).toBe(400);
    expect(withLimit.json.field).toBe('query.limit');
  });
});
