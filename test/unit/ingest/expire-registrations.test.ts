/**
 * The registration expiry against port fakes. The store's own guarantees (the byStatus index, never a
 * Scan; PENDING → EXPIRED only while statusAt is as read) are proven on DynamoDB Local in
 * test/integration/stores.test.ts.
 */
import { expireStaleRegistrations } from '../../../functions/ingest/expire-registrations.js';
import type { ExpiryDeps, IngestRecording } from '../../../functions/ports/ingest.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-03-10T09:00:00.000Z');

const pending = (id: string, statusAt = '2026-03-09T08:00:00.000Z') =>
  ({
    recordingId: id,
    callId: `call-${id}`,
    serviceArea: 'revenues',
    extension: '4001',
    status: 'PENDING',
    statusAt,
    registeredAt: statusAt,
    startedAt: '2026-03-09T07:55:00.000Z',
  }) as IngestRecording;

/** A catalogue of PENDING entries served `pageSize` at a time, with the store's condition on expiry. */
const fakes = (entries: IngestRecording[], pageSize = 1) => {
  const items = new Map(entries.map((e) => [e.recordingId, { ...e }]));
  const asked: { before: string; cursor?: Record<string, unknown> }[] = [];
  const counted: string[] = [];
  const deps: ExpiryDeps = {
    catalogue: {
      pendingBefore: async (before, cursor) => {
        asked.push({ before, ...(cursor ? { cursor } : {}) });
        const due = [...items.values()]
          .filter((i) => i.status === 'PENDING' && i.statusAt < before)
          .sort((a, b) => a.recordingId.localeCompare(b.recordingId));
        const from = cursor ? due.findIndex((i) => i.recordingId > String(cursor.recordingId)) : 0;
        const page = from < 0 ? [] : due.slice(from, from + pageSize);
        const last = page.at(-1);
        return {
          items: page,
          ...(last && from + pageSize < due.length ? { cursor: { recordingId: last.recordingId } } : {}),
        };
      },
      markExpired: async (id, seen, at) => {
        const i = items.get(id);
        if (i?.status !== 'PENDING' || i.statusAt !== seen) return false;
        items.set(id, { ...i, status: 'EXPIRED', statusAt: at });
        return true;
      },
    },
    countExpired: async (r) => {
      counted.push(r.recordingId);
    },
  };
  return { deps, items, asked, counted };
};

describe('expiring registrations never uploaded', () => {
  it('expires PENDING registrations older than 24 hours, page by page, and counts each once', async () => {
    // Arrange
    const { deps, items, asked, counted } = fakes([
      pending('a'),
      pending('b'),
      pending('young', '2026-03-09T10:00:00.000Z'),
    ]);

    // Act
    const expired = await expireStaleRegistrations(deps, { now: NOW });

    // Assert
    expect(expired.map((e) => e.recordingId)).toEqual(['a', 'b']);
    expect(expired[0]).toEqual({
      recordingId: 'a',
      callId: 'call-a',
      serviceArea: 'revenues',
      extension: '4001',
      registeredAt: '2026-03-09T08:00:00.000Z',
    });
    expect(asked).toEqual([
      { before: '2026-03-09T09:00:00.000Z' },
      { before: '2026-03-09T09:00:00.000Z', cursor: { recordingId: 'a' } },
    ]);
    expect(items.get('a')).toMatchObject({ status: 'EXPIRED', statusAt: NOW.toISOString() });
    expect(items.get('young')?.status).toBe('PENDING');
    expect(counted).toEqual(['a', 'b']);
  });

  it('leaves out, and does not count, a registration whose upload arrived while the sweep ran', async () => {
    // Arrange: the entry changes between the page read and the expiry
    const { deps, items, counted } = fakes([pending('a')]);
    const read = deps.catalogue.pendingBefore;
    const racing: ExpiryDeps = {
      ...deps,
      catalogue: {
        ...deps.catalogue,
        pendingBefore: async (before, cursor) => {
          const page = await read(before, cursor);
          items.set('a', { ...pending('a'), status: 'ARCHIVED', statusAt: '2026-03-10T08:59:00.000Z' });
          return page;
        },
      },
    };

    // Act
    const expired = await expireStaleRegistrations(racing, { now: NOW });

    // Assert
    expect(expired).toEqual([]);
    expect(items.get('a')?.status).toBe('ARCHIVED');
    expect(counted).toEqual([]);
  });
});
