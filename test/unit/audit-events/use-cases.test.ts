/** Publishing a stream batch: one event per new entry; what the bus refuses is retried by the stream. */

import { publishStreamEntries } from '../../../functions/audit-events/use-cases.js';
import type { AuditEvent } from '../../../functions/domain/audit-event.js';
import { nextLink } from '../../../functions/domain/hash-chain.js';
import type { AuditEventBus, StreamEntry } from '../../../functions/ports/audit-events.js';

process.env.LOG_LEVEL = 'silent';

const AT = new Date('2026-11-28T10:00:00.000Z');
const entry = (id: string, chain: string, seq: number, extra: Partial<StreamEntry> = {}): StreamEntry => ({
  id,
  eventName: 'INSERT',
  table: chain.startsWith('audit') ? 'auditLog' : 'releaseLog',
  link: nextLink(chain, seq > 1 ? { seq: seq - 1, hash: 'b'.repeat(64) } : undefined, { actor: id }, AT),
  ...extra,
});

class FakeBus implements AuditEventBus {
  readonly events: AuditEvent[] = [];
  constructor(private readonly refuse: (e: AuditEvent) => boolean = () => false) {}
  async put(events: readonly AuditEvent[]) {
    return events.map((e) => {
      if (this.refuse(e)) return false;
      this.events.push(e);
      return true;
    });
  }
}

const scrub = (text: string) => text;

describe('publishStreamEntries', () => {
  it('publishes one event per inserted entry and skips checkpoints, changes and other tables', async () => {
    // Arrange
    const bus = new FakeBus();
    const records = [
      entry('1', 'audit#01', 5),
      entry('2', 'releases', 3),
      entry('3', 'audit-checkpoints', 9),
      entry('4', 'audit#02', 1, { eventName: 'MODIFY' }),
      { id: '5', eventName: 'INSERT' },
    ];

    // Act
    const result = await publishStreamEntries({ bus, scrub }, records);

    // Assert
    expect(bus.events.map((e) => [e.detailType, e.detail.chain, e.detail.seq])).toEqual([
      ['AccessAuditEntry', 'audit#01', 5],
      ['ReleaseLogEntry', 'releases', 3],
    ]);
    expect(result).toEqual({ batchItemFailures: [], published: 2, skipped: 3 });
  });

  it('reports the records whose event the bus refused, so only those are retried', async () => {
    // Arrange
    const bus = new FakeBus((e) => e.detail.seq === 6);
    const records = [entry('s5', 'audit#01', 5), entry('s6', 'audit#01', 6), entry('s7', 'audit#01', 7)];

    // Act
    const result = await publishStreamEntries({ bus, scrub }, records);

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 's6' }]);
    expect(bus.events.map((e) => e.detail.seq)).toEqual([5, 7]);
  });

  it('fails a log-table insert that is not a chain link instead of dropping it', async () => {
    const result = await publishStreamEntries({ bus: new FakeBus(), scrub }, [
      { id: 'x1', eventName: 'INSERT', table: 'auditLog' },
    ]);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'x1' }]);
  });
});
