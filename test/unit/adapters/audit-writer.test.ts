/**
 * The sharded audit writer against an in-memory shard store that interleaves like DynamoDB would:
 * many processes append at once, none loses an entry, no chain forks, warm appends cost one put, and
 * when storage keeps failing the append fails closed (AuditUnavailableError) after bounded attempts.
 */

import {
  type AuditWriter,
  auditWriter,
  MAX_ATTEMPTS,
  MAX_LOST_RACES,
  type ShardStore,
} from '../../../functions/adapters/audit-writer.js';
import type { AuditEntry, AuditLink } from '../../../functions/domain/audit.js';
import { AuditUnavailableError } from '../../../functions/domain/errors.js';
import { verifyChain } from '../../../functions/domain/hash-chain.js';

const SHARDS = ['s0', 's1', 's2', 's3'];

const entry = (i: number): AuditEntry => ({
  actor: `staff-${i % 7}`,
  action: 'view',
  recordingId: `rec-${i}`,
  outcome: i % 2 ? 'denied' : 'allowed',
  rule: 'test',
  correlationId: `corr-${i}`,
});

/**
 * A shared table of chains; every call yields to the event loop first, so calls interleave. `latency`
 * makes each call take 1–3 ms, as a DynamoDB round trip takes milliseconds, not microseconds.
 */
const memoryStore = (latency = false) => {
  const chains = new Map<string, AuditLink[]>();
  const calls = { reads: 0, puts: 0 };
  let failing = false;
  const tick = () =>
    new Promise<void>((resolve) =>
      latency ? setTimeout(resolve, 1 + Math.random() * 2) : setImmediate(resolve),
    );
  const store: ShardStore = {
    async readHead(chain) {
      calls.reads += 1;
      await tick();
      if (failing) throw new Error('table unavailable');
      const last = chains.get(chain)?.at(-1);
      return last ? { seq: last.seq, hash: last.hash } : undefined;
    },
    async putIfNew(link) {
      calls.puts += 1;
      await tick();
      if (failing) throw new Error('table unavailable');
      const links = chains.get(link.chain) ?? [];
      const occupant = links.find((l) => l.seq === link.seq);
      if (occupant) return { written: false, occupant: { seq: occupant.seq, hash: occupant.hash } };
      links.push(link);
      links.sort((a, b) => a.seq - b.seq);
      chains.set(link.chain, links);
      return { written: true };
    },
  };
  return { store, chains, calls, fail: () => (failing = true) };
};

const writerOn = (store: ShardStore): AuditWriter =>
  auditWriter(store, { shards: SHARDS, indexAttributes: () => ({}), sleep: async () => undefined });

const now = () => new Date('2026-06-01T10:00:00Z');

describe('sharded audit writer', () => {
  it('records every one of 400 concurrent appends in one process (the local stack), chains intact', async () => {
    // Arrange
    const mem = memoryStore();
    const writer = auditWriter(mem.store, {
      shards: Array.from({ length: 16 }, (_, n) => `s${n}`),
      indexAttributes: () => ({}),
    });
    // Act
    await Promise.all(Array.from({ length: 400 }, (_, i) => writer.append(entry(i), now)));
    // Assert
    const stored = [...mem.chains.values()].flat();
    expect(new Set(stored.map((l) => l.payload.correlationId)).size).toBe(400);
    for (const chain of mem.chains.values()) expect(verifyChain(chain)).toMatchObject({ ok: true });
  });

  it('records every append of 24 processes (Lambda containers) sharing 16 shards, chains intact', async () => {
    // Arrange: one request at a time per process, as a Lambda container runs them; real jittered backoff.
    const mem = memoryStore(true);
    const shards = Array.from({ length: 16 }, (_, n) => `s${n}`);
    const processes = Array.from({ length: 24 }, () =>
      auditWriter(mem.store, { shards, indexAttributes: () => ({}) }),
    );
    // Act
    await Promise.all(
      processes.map(async (writer, p) => {
        for (let i = 0; i < 20; i += 1) await writer.append(entry(p * 100 + i), now);
      }),
    );
    // Assert
    const stored = [...mem.chains.values()].flat();
    expect(stored).toHaveLength(480);
    expect(new Set(stored.map((l) => l.payload.correlationId)).size).toBe(480);
    for (const chain of mem.chains.values()) expect(verifyChain(chain)).toMatchObject({ ok: true });
  });

  it('needs one put and no read per append once a process knows its shards', async () => {
    // Arrange
    const mem = memoryStore();
    const writer = writerOn(mem.store);
    await Promise.all(Array.from({ length: 8 }, (_, i) => writer.append(entry(i), now)));
    const before = { ...mem.calls };
    // Act
    await Promise.all(Array.from({ length: 40 }, (_, i) => writer.append(entry(100 + i), now)));
    // Assert
    expect(mem.calls.puts - before.puts).toBe(40);
    expect(mem.calls.reads - before.reads).toBe(0);
  });

  it('continues after an entry another process wrote, from the failed put alone', async () => {
    // Arrange
    const mem = memoryStore();
    const mine = writerOn(mem.store);
    const first = await mine.append(entry(1), now);
    const reads = mem.calls.reads;
    // Act: the other process happens to write the same shard, then mine appends again.
    const other = auditWriter(mem.store, {
      shards: [first.chain],
      indexAttributes: () => ({}),
      sleep: async () => undefined,
    });
    const between = await other.append(entry(2), now);
    const next = await mine.append(entry(3), now);
    // Assert
    expect(next).toMatchObject({ chain: first.chain, seq: 3, prevHash: between.hash });
    expect(mem.calls.reads - reads).toBe(1); // the other process's cold read only
    expect(verifyChain(mem.chains.get(first.chain) ?? [])).toMatchObject({ ok: true, count: 3 });
  });

  it('keeps going when it loses more races than MAX_ATTEMPTS (a stalled process arriving second), without a 503', async () => {
    // Arrange: another process writes first to whichever shard this one tries, 3 * MAX_ATTEMPTS times.
    const mem = memoryStore();
    const rival = (chain: string) =>
      auditWriter(mem.store, { shards: [chain], indexAttributes: () => ({}), sleep: async () => undefined });
    let beaten = 0;
    const racing: ShardStore = {
      readHead: mem.store.readHead,
      async putIfNew(link, attributes) {
        if (beaten < 3 * MAX_ATTEMPTS) {
          beaten += 1;
          await rival(link.chain).append(entry(1000 + beaten), now);
        }
        return mem.store.putIfNew(link, attributes);
      },
    };
    const writer = writerOn(racing);
    // Act
    const link = await writer.append(entry(1), now);
    // Assert
    expect(beaten).toBe(3 * MAX_ATTEMPTS);
    expect(link.payload.correlationId).toBe('corr-1');
    const stored = [...mem.chains.values()].flat();
    expect(stored).toHaveLength(3 * MAX_ATTEMPTS + 1);
    for (const chain of mem.chains.values()) expect(verifyChain(chain)).toMatchObject({ ok: true });
  });

  it('gives up with AuditUnavailableError after MAX_LOST_RACES lost races, writing nothing of its own', async () => {
    // Arrange: every put this process makes has been beaten to its seq.
    const mem = memoryStore();
    const racing: ShardStore = {
      readHead: mem.store.readHead,
      async putIfNew(link, attributes) {
        await auditWriter(mem.store, {
          shards: [link.chain],
          indexAttributes: () => ({}),
          sleep: async () => undefined,
        }).append(entry(5000 + mem.calls.puts), now);
        return mem.store.putIfNew(link, attributes);
      },
    };
    const writer = writerOn(racing);
    // Act
    const attempt = writer.append(entry(1), now);
    // Assert
    await expect(attempt).rejects.toMatchObject({ attempts: MAX_LOST_RACES });
    const stored = [...mem.chains.values()].flat();
    expect(stored.some((l) => l.payload.correlationId === 'corr-1')).toBe(false);
  });

  it('fails closed with AuditUnavailableError after a bounded number of attempts', async () => {
    // Arrange
    const mem = memoryStore();
    const writer = writerOn(mem.store);
    mem.fail();
    // Act
    const attempt = writer.append(entry(1), now);
    // Assert
    await expect(attempt).rejects.toBeInstanceOf(AuditUnavailableError);
    await expect(attempt).rejects.toMatchObject({ attempts: MAX_ATTEMPTS });
    expect(mem.calls.reads + mem.calls.puts).toBeLessThanOrEqual(MAX_ATTEMPTS);
    expect([...mem.chains.values()].flat()).toEqual([]);
  });
});
