/**
 * The pure s.7 hold and deletion rules of functions/domain/holds.ts, at their edges: which later calls a
 * query hold covers, which call decides whether IG guidance is needed, what the sweeper may delete and
 * what its certificate says. Mutation testing (docs/mutation-survivors.md) found these guarded only
 * through untested or distant callers.
 */
import { addDays, dayOf } from '../../../functions/domain/days.js';
import {
  chunk,
  deletionCertificate,
  earliestCallStart,
  failureReason,
  guidanceRequired,
  type Hold,
  holdCoversCall,
  recordingIdFromArchiveKey,
  sweeperMayDelete,
} from '../../../functions/domain/holds.js';

const queryHold = (
  query: Partial<Extract<Hold['scope'], { query: unknown }>['query']> = {},
): Pick<Hold, 'status' | 'scope'> => ({
  status: 'ACTIVE',
  scope: {
    query: {
      serviceArea: 'housing',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-31T23:59:59.999Z',
      ...query,
    },
  },
});
const call = {
  serviceArea: 'housing',
  extension: '4001',
  agentId: 'agent-1',
  startedAt: '2026-03-10T09:00:00Z',
};

describe('a query hold covers a call registered after it (s.7)', () => {
  it('covers a call of its area inside its range, from the first to the last instant', () => {
    // Arrange
    const hold = queryHold();
    // Act
    const covered = [
      holdCoversCall(hold, call),
      holdCoversCall(hold, { ...call, startedAt: '2026-03-01T00:00:00.000Z' }),
      holdCoversCall(hold, { ...call, startedAt: '2026-03-31T23:59:59.999Z' }),
    ];
    // Assert
    expect(covered).toEqual([true, true, true]);
  });

  it('does not cover a call just outside its range, of another area, or once lifted', () => {
    // Arrange
    const hold = queryHold();
    // Act
    const covered = [
      holdCoversCall(hold, { ...call, startedAt: '2026-02-28T23:59:59.999Z' }),
      holdCoversCall(hold, { ...call, startedAt: '2026-04-01T00:00:00.000Z' }),
      holdCoversCall(hold, { ...call, serviceArea: 'revenues' }),
      holdCoversCall({ ...hold, status: 'LIFTED' }, call),
    ];
    // Assert
    expect(covered).toEqual([false, false, false, false]);
  });

  it('compares times as instants, whatever their written offset', () => {
    // Arrange: 01:30+02:00 is 23:30 on 28 February in UTC, before the range
    const hold = queryHold();
    // Act
    const covered = holdCoversCall(hold, { ...call, startedAt: '2026-03-01T01:30:00+02:00' });
    // Assert
    expect(covered).toBe(false);
  });

  it('narrows to the extension and the agent it names, and covers any when it names none', () => {
    // Arrange
    const byExtension = queryHold({ extension: '4001' });
    const byAgent = queryHold({ agentId: 'agent-1' });
    // Act
    const covered = [
      holdCoversCall(byExtension, call),
      holdCoversCall(byExtension, { ...call, extension: '4002' }),
      holdCoversCall(byAgent, call),
      holdCoversCall(byAgent, { ...call, agentId: 'agent-2' }),
      holdCoversCall(queryHold(), { ...call, extension: '9999', agentId: 'agent-9' }),
    ];
    // Assert
    expect(covered).toEqual([true, false, true, false, true]);
  });

  it('never covers a call by an id list: the call has no id yet', () => {
    // Arrange
    const hold: Pick<Hold, 'status' | 'scope'> = { status: 'ACTIVE', scope: { recordingIds: ['rec-1'] } };
    // Act
    const covered = holdCoversCall(hold, call);
    // Assert
    expect(covered).toBe(false);
  });
});

describe('which call decides whether a hold needs IG guidance (s.7)', () => {
  it('takes the earliest call of an id list, whatever the order', () => {
    // Act
    const earliest = earliestCallStart({ recordingIds: ['a', 'b', 'c'] }, [
      '2025-06-01T00:00:00Z',
      '2024-01-15T00:00:00Z',
      '2025-01-01T00:00:00Z',
    ]);
    // Assert
    expect(earliest).toBe('2024-01-15T00:00:00Z');
  });

  it("takes a query's from, before any recording is looked at", () => {
    // Act
    const earliest = earliestCallStart(queryHold().scope, ['2020-01-01T00:00:00Z']);
    // Assert
    expect(earliest).toBe('2026-03-01T00:00:00.000Z');
  });

  it('has no earliest call for an empty list', () => {
    expect(earliestCallStart({ recordingIds: [] }, [])).toBeUndefined();
  });

  it('needs guidance only for a retain-until past the earliest call + 24 months', () => {
    // Arrange
    const start = '2024-01-15T00:00:00.000Z';
    // Act
    const needs = [
      guidanceRequired('2026-01-15T00:00:00.000Z', start),
      guidanceRequired('2026-01-15T00:00:00.001Z', start),
      guidanceRequired(undefined, start),
      guidanceRequired('2030-01-01T00:00:00.000Z', undefined),
    ];
    // Assert
    expect(needs).toEqual([false, true, false, false]);
  });
});

describe('what the 24-month sweeper may delete (s.7)', () => {
  const deleteAfter = '2028-01-01T00:00:00.000Z';

  it('deletes an archived, unheld recording from its delete-after on', () => {
    // Act
    const atDeleteAfter = sweeperMayDelete(
      { status: 'ARCHIVED', deleteAfter, holdCount: 0 },
      new Date(deleteAfter),
    );
    // Assert
    expect(atDeleteAfter).toBe(true);
  });

  it('keeps a held, an early, or a not-archived recording', () => {
    // Arrange
    const later = new Date('2028-06-01T00:00:00.000Z');
    // Act
    const decisions = [
      sweeperMayDelete({ status: 'ARCHIVED', deleteAfter, holdCount: 1 }, later),
      sweeperMayDelete(
        { status: 'ARCHIVED', deleteAfter, holdCount: 0 },
        new Date('2027-12-31T23:59:59.999Z'),
      ),
      sweeperMayDelete({ status: 'QUARANTINED', deleteAfter, holdCount: 0 }, later),
      sweeperMayDelete({ status: 'DELETED', deleteAfter, holdCount: 0 }, later),
    ];
    // Assert
    expect(decisions).toEqual([false, false, false, false]);
  });
});

describe('the certificate of a deletion under s.7', () => {
  const rec = {
    recordingId: 'rec-1',
    archiveKey: 'housing/2026/03/rec-1.wav',
    archiveVersionId: 'v-archived',
    audio: { format: 'wav' as const, sizeBytes: 10, sha256: 'abc' },
  };
  const at = new Date('2028-01-02T03:04:05.000Z');

  it("names the sweeper, its rule and why, the object and the audio's digest", () => {
    // Act
    const cert = deletionCertificate(rec, at, 'sweeper');
    // Assert
    expect(cert).toEqual({
      by: 'system:sweeper',
      at: '2028-01-02T03:04:05.000Z',
      rule: 's7.delete-after-24-months',
      reason: 'past delete-after (call start + 24 months) with no active hold',
      archiveKey: 'housing/2026/03/rec-1.wav',
      versionId: 'v-archived',
      sha256: 'abc',
    });
  });

  it('names the S3 lifecycle backstop and the version it expired', () => {
    // Act
    const cert = deletionCertificate(rec, at, 'lifecycle', 'v-expired');
    // Assert
    expect(cert).toMatchObject({
      by: 'system:s3-lifecycle',
      rule: 's7.lifecycle-backstop-24-months',
      reason: 'S3 lifecycle expiry of an object tagged retention=standard (24-month backstop)',
      versionId: 'v-expired',
    });
  });

  it('leaves out a version it does not know, and keeps the fields present when the catalogue lacks them', () => {
    // Arrange: a catalogue item written before archiving has neither key nor audio facts
    const bare = { recordingId: 'rec-2' } as Parameters<typeof deletionCertificate>[0];
    // Act
    const cert = deletionCertificate(bare, at, 'sweeper');
    // Assert
    expect(cert).not.toHaveProperty('versionId');
    expect(cert.archiveKey).toBe('');
    expect(cert.sha256).toBe('');
  });
});

describe('reading an S3 lifecycle expiry (s.7 backstop)', () => {
  it("takes the recording id from the archive key's last part, before its format", () => {
    expect(recordingIdFromArchiveKey('housing/2026/03/rec-1.wav')).toBe('rec-1');
    expect(recordingIdFromArchiveKey('housing/2026/03/rec.2.mp3')).toBe('rec.2');
    expect(recordingIdFromArchiveKey('rec-3')).toBe('rec-3');
    expect(recordingIdFromArchiveKey('housing/.wav')).toBe('.wav');
    expect(recordingIdFromArchiveKey('housing/')).toBeUndefined();
  });
});

describe('why a recording could not be held, for IG', () => {
  it('says so in words IG can act on', () => {
    expect(failureReason('missing')).toBe('no such recording');
    expect(failureReason('not-archived', 'PENDING')).toBe(
      'not archived (status PENDING): only archived audio can be held',
    );
    expect(failureReason('not-archived')).toBe(
      'not archived (status unknown): only archived audio can be held',
    );
    expect(failureReason('hold-inactive')).toBe('the hold was lifted meanwhile');
  });
});

describe('the days and pages the hold and deletion paths count in', () => {
  it('reads the UTC day of an instant, given as text or as a date', () => {
    expect(dayOf('2026-03-01T23:30:00-02:00')).toBe('2026-03-02');
    expect(dayOf(new Date('2026-03-01T23:30:00.000Z'))).toBe('2026-03-01');
  });

  it('adds days across month and year ends, and goes back with a negative count', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('splits a fan-out into pages of the given size, the last one short, none when empty', () => {
    expect(chunk(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(chunk(['a', 'b'], 2)).toEqual([['a', 'b']]);
    expect(chunk([], 100)).toEqual([]);
  });
});
