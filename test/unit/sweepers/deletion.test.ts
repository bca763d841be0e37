import fc from 'fast-check';
import { dayOf } from '../../../functions/domain/days.js';
import { type DeletionSweepSummary, sweepDeletions } from '../../../functions/sweepers/deletion.js';
import { buildSweeper } from '../../../functions/sweepers/handler.js';
import { FakeHoldsStore, FakeObjectLock, recordingFacts, storePorts } from '../legal-hold/fakes.js';

process.env.LOG_LEVEL = 'silent';

const NOW = new Date('2026-11-28T08:00:00.000Z');

/** Runs the sweep until it reports it caught up (bounded work per run means several runs). */
const sweepUntilCaughtUp = async (
  store: FakeHoldsStore,
  objects: FakeObjectLock,
  now: Date,
  maxRecordings: number,
): Promise<DeletionSweepSummary[]> => {
  const runs: DeletionSweepSummary[] = [];
  for (let i = 0; i < 500; i += 1) {
    const summary = await sweepDeletions(
      { ...storePorts(store), objects, now: () => now },
      { maxRecordings },
    );
    runs.push(summary);
    if (summary.caughtUp) return runs;
  }
  throw new Error('sweep never caught up');
};

describe('deletion sweeper', () => {
  it('never deletes a held or not-yet-due recording, and deletes every due one (property)', async () => {
    const recording = fc.record({
      // Calls from Jan 2022 to the day before "now" in minutes.
      offsetMinutes: fc.integer({ min: 0, max: 2_560_000 }),
      holdCount: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 3 })),
      status: fc.constantFrom('ARCHIVED', 'ARCHIVED', 'ARCHIVED', 'QUARANTINED', 'PENDING'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(recording, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 40 * 24 * 60 }),
        fc.integer({ min: 1, max: 25 }),
        async (recs, nowShiftMinutes, maxRecordings) => {
          // Arrange
          const store = new FakeHoldsStore();
          const objects = new FakeObjectLock();
          const now = new Date(NOW.getTime() - nowShiftMinutes * 60_000);
          recs.forEach((r, i) => {
            const started = new Date(Date.UTC(2022, 0, 1) + r.offsetMinutes * 60_000).toISOString();
            store.add(
              recordingFacts(`r${i}`, started, {
                holdCount: r.holdCount,
                status: r.status as 'ARCHIVED',
              }),
            );
          });
          const before = new Map([...store.recordings].map(([id, r]) => [id, { ...r }]));
          // Act
          await sweepUntilCaughtUp(store, objects, now, maxRecordings);
          // Assert
          for (const [id, was] of before) {
            const after = store.recordings.get(id);
            const due = was.status === 'ARCHIVED' && was.holdCount === 0 && new Date(was.deleteAfter) <= now;
            if (due) {
              expect(after?.status).toBe('DELETED');
              expect(after?.deletion).toMatchObject({
                by: 'system:sweeper',
                rule: 's7.delete-after-24-months',
              });
              expect(after?.deleteDay).toBeUndefined();
              expect(objects.deleted).toContain(was.archiveKey);
            } else {
              expect(after?.status).toBe(was.status);
              expect(objects.deleted).not.toContain(was.archiveKey);
            }
          }
          expect(store.deletions).toHaveLength(objects.deleted.length);
        },
      ),
      { numRuns: 60 },
    );
  }, 60_000);

  it('is idempotent: a second sweep deletes nothing and writes no second certificate', async () => {
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    store.add(
      recordingFacts('due', '2024-10-01T09:00:00.000Z'),
      recordingFacts('young', '2025-10-01T09:00:00.000Z'),
    );
    await sweepUntilCaughtUp(store, objects, NOW, 10);
    const again = await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    expect(again.deleted).toBe(0);
    expect(store.deletions.map((d) => d.recordingId)).toEqual(['due']);
  });

  it('finishes on the next run a deletion whose object delete failed', async () => {
    // Arrange
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    const rec = recordingFacts('due', '2024-10-01T09:00:00.000Z');
    store.add(rec);
    objects.failOnce.add(rec.archiveKey as string);
    // Act
    const first = await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    const second = await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    // Assert
    expect(first).toMatchObject({ errors: 1, caughtUp: false });
    expect(second).toMatchObject({ resumed: 1, errors: 0, caughtUp: true });
    expect(objects.deleted).toEqual([rec.archiveKey]);
    expect(store.recordings.get('due')?.deleteDay).toBeUndefined();
    expect(store.deletions).toHaveLength(1);
  });

  it('leaves a recording alone when a hold lands between reading the index and deleting', async () => {
    // Arrange
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    store.add(recordingFacts('due', '2024-10-01T09:00:00.000Z'));
    const racing = Object.assign(Object.create(store), {
      awaitingDeletion: async (...args: Parameters<FakeHoldsStore['awaitingDeletion']>) => {
        const page = await store.awaitingDeletion(...args);
        for (const r of page.items)
          (store.recordings.get(r.recordingId) as { holdCount: number }).holdCount = 1;
        return page;
      },
    }) as FakeHoldsStore;
    // Act
    const summary = await sweepDeletions({ ...storePorts(racing), objects, now: () => NOW });
    // Assert
    expect(summary).toMatchObject({ deleted: 0, lostRace: 1 });
    expect(store.recordings.get('due')?.status).toBe('ARCHIVED');
    expect(objects.deleted).toEqual([]);
  });

  it('does bounded work per run and resumes from its cursor', async () => {
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    for (let i = 0; i < 30; i += 1)
      store.add(recordingFacts(`r${i}`, `2024-10-01T09:${String(i).padStart(2, '0')}:00.000Z`));
    const runs = await sweepUntilCaughtUp(store, objects, NOW, 7);
    expect(runs.map((r) => r.examined).slice(0, 5)).toEqual([7, 7, 7, 7, 2]);
    expect(runs.reduce((n, r) => n + r.deleted, 0)).toBe(30);
    expect(store.cursor?.day).toBe(dayOf(NOW));
  });

  it('reads what it changes, not what the calendar spans: a 24-month jump reads only the due recordings', async () => {
    // Arrange: one recording a day for two years (731 days of calls), the sweep last ran two years ago.
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    const first = Date.parse('2026-01-01T09:00:00.000Z');
    for (let i = 0; i < 731; i += 1)
      store.add(recordingFacts(`r${i}`, new Date(first + i * 86_400_000).toISOString()));
    const held = recordingFacts('held', '2026-01-02T10:00:00.000Z', { holdCount: 1 });
    store.add(held);
    store.cursor = { day: '2026-01-01' };
    // "Now" 741 days after the first call (2028-01-12): the first dozen calls are due, nothing else.
    const jump = new Date(first + (731 + 10) * 86_400_000);
    const due = [...store.recordings.values()].filter(
      (r) => r.holdCount === 0 && r.deleteAfter <= jump.toISOString(),
    );
    // Act
    const summary = await sweepDeletions({ ...storePorts(store), objects, now: () => jump });
    // Assert: it deleted the due ones and read them and the held one, nothing more, in one index page
    // each for the DELETED and ARCHIVED partitions (the old sweep queried once per day: 740 queries).
    expect(due).toHaveLength(12);
    expect(summary).toMatchObject({ deleted: 12, skippedHeld: 1, skippedNotDue: 0, caughtUp: true });
    expect(store.itemsRead).toBe(due.length + 1);
    expect(store.calls.awaitingDeletion).toBe(2);
    expect(summary.queries).toBe(2);
    expect(store.calls.dueOnDay).toBeUndefined();
    // A second run reads only the held one.
    store.itemsRead = 0;
    await sweepDeletions({ ...storePorts(store), objects, now: () => jump });
    expect(store.itemsRead).toBe(1);
  });

  it('reads recordings due later today but skips them until their delete-after passes', async () => {
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    const rec = recordingFacts('later', '2024-11-28T18:00:00.000Z');
    store.add(rec);
    const summary = await sweepDeletions({ ...storePorts(store), objects, now: () => NOW });
    expect(summary).toMatchObject({ deleted: 0, skippedNotDue: 1 });
    expect(store.recordings.get('later')?.status).toBe('ARCHIVED');
  });

  it('goes on from its cursor when held recordings alone would fill its budget', async () => {
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    for (let i = 0; i < 5; i += 1)
      store.add(recordingFacts(`h${i}`, `2024-09-0${i + 1}T09:00:00.000Z`, { holdCount: 1 }));
    store.add(recordingFacts('due', '2024-10-01T09:00:00.000Z'));
    const runs = await sweepUntilCaughtUp(store, objects, NOW, 3);
    expect(runs.map((r) => r.deleted)).toEqual([0, 1]);
    expect(store.recordings.get('due')?.status).toBe('DELETED');
  });

  it('honours fromDay as a lower bound', async () => {
    const store = new FakeHoldsStore();
    const objects = new FakeObjectLock();
    store.add(
      recordingFacts('old', '2024-09-01T09:00:00.000Z'),
      recordingFacts('new', '2024-10-01T09:00:00.000Z'),
    );
    const summary = await sweepDeletions(
      { ...storePorts(store), objects, now: () => NOW },
      { fromDay: '2026-09-15' },
    );
    expect(summary.deleted).toBe(1);
    expect(store.recordings.get('old')?.status).toBe('ARCHIVED');
  });
});

describe('sweepers handler', () => {
  it('dispatches { job } to the named job and returns its summary', async () => {
    const handler = buildSweeper({ deletion: async () => ({ deleted: 3 }) });
    await expect(handler({ job: 'deletion' })).resolves.toEqual({ job: 'deletion', summary: { deleted: 3 } });
  });

  it('fails loudly on an unknown job, naming the known ones', async () => {
    const handler = buildSweeper({ deletion: async () => ({}) });
    await expect(handler({ job: 'nope' })).rejects.toThrow(/known: deletion/);
  });
});
