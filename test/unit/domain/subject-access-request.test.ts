/**
 * The subject access request's own rules (DPA 2018 / UK GDPR Art. 15) as pure functions: a closed request
 * takes no further step, a new search keeps the decisions already made and lists each call once in time
 * order, and every change is a new version. Mutation testing (g-sar) found these guarded only through the
 * HTTP routes' fakes or not at all.
 */
import {
  disclosable,
  extend,
  inResults,
  markRecording,
  openSar,
  recordSearch,
  SAR_RULES,
  type SarRecording,
  type SubjectAccessRequest,
} from '../../../functions/domain/subject-access-request.js';

const NOW = new Date('2026-11-02T10:00:00Z');
const IG = { staffId: 'ig-1', now: NOW };

const opened = (): SubjectAccessRequest => {
  const outcome = openSar(
    {
      requester: { name: 'A. Caller' },
      identityChecks: [{ check: 'photo-id', detail: 'passport seen' }],
      callers: [{ hash: 'h', last3: '123' }],
      from: '2026-01-01T00:00:00Z',
      to: '2026-10-31T23:59:59Z',
    },
    { sarId: 'sar-1', ...IG },
  );
  if (!outcome.ok) throw new Error('could not open');
  return outcome.value;
};

const call = (recordingId: string, startedAt: string): Omit<SarRecording, 'mark'> => ({
  recordingId,
  serviceArea: 'revenues',
  startedAt,
  format: 'wav',
  archiveKey: `revenues/${recordingId}.wav`,
});

const value = <T>(outcome: { ok: boolean; value?: T }): T => {
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value as T;
};

describe('a subject access request (Art. 15)', () => {
  it('lists each call found once, oldest first, and counts the search', () => {
    // Arrange
    const sar = opened();
    // Act
    const searched = value(
      recordSearch(
        sar,
        [
          call('b', '2026-05-02T09:00:00Z'),
          call('a', '2026-03-01T09:00:00Z'),
          call('b', '2026-05-02T09:00:00Z'),
        ],
        IG,
      ),
    );
    // Assert
    expect(searched.recordings.map((r) => r.recordingId)).toEqual(['a', 'b']);
    expect(searched.search).toEqual({ by: 'ig-1', at: NOW.toISOString(), found: 2 });
    expect(searched.version).toBe(sar.version + 1);
  });

  it('keeps the decisions already made on calls a new search finds again', () => {
    // Arrange
    const first = value(recordSearch(opened(), [call('a', '2026-03-01T09:00:00Z')], IG));
    const marked = value(markRecording(first, 'a', { decision: 'disclose' }, IG));
    // Act
    const again = value(
      recordSearch(marked, [call('a', '2026-03-01T09:00:00Z'), call('c', '2026-04-01T09:00:00Z')], IG),
    );
    // Assert
    expect(again.recordings.find((r) => r.recordingId === 'a')?.mark?.decision).toBe('disclose');
    expect(again.recordings.find((r) => r.recordingId === 'c')?.mark).toBeUndefined();
    expect(again.version).toBe(marked.version + 1);
  });

  it('takes no further step once closed: no extension, search, playback, decision or package', () => {
    // Arrange
    const searched = value(recordSearch(opened(), [call('a', '2026-03-01T09:00:00Z')], IG));
    const closed: SubjectAccessRequest = { ...searched, state: 'CLOSED' };
    // Act
    const outcomes = [
      extend(closed, { to: '2027-01-31', reason: 'complex', by: 'ig-1', now: NOW }),
      recordSearch(closed, [call('a', '2026-03-01T09:00:00Z')], IG),
      inResults(closed, 'a'),
      markRecording(closed, 'a', { decision: 'disclose' }, IG),
      disclosable(closed),
    ];
    // Assert
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ ok: false, kind: 'conflict', rule: SAR_RULES.closed });
  });
});
