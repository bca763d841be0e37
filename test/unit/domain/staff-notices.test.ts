/**
 * Edges of the s.4 staff-notice rules (functions/domain/staff-notices.ts) beyond
 * test/unit/staff-notices/staff-notices.test.ts: which rule a short checklist is refused under, what a
 * late or early notice does to the record, and how the due list reads.
 */
import { PolicyRefusalError, ValidationError } from '../../../functions/domain/errors.js';
import {
  applyNotice,
  type Checklist,
  checkNotice,
  dueList,
  dueStateOf,
  type NoticeKind,
} from '../../../functions/domain/staff-notices.js';

const ALL: Checklist = { purpose: true, uses: true, retention: true, businessCallsOnly: true };
const TODAY = '2026-11-28';

const refusal = (checklist: Checklist, kind: NoticeKind = 'first-use', date = TODAY): unknown => {
  try {
    checkNotice({ staffId: 's1', toldBy: 'm1', kind, date, checklist }, TODAY);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('which s.4 rule refuses a notice that left something out', () => {
  it('is s4.f only when business-calls-only is all that is missing', () => {
    // Act
    const error = refusal({ ...ALL, businessCallsOnly: false });
    // Assert
    expect(error).toBeInstanceOf(PolicyRefusalError);
    expect(error).toMatchObject({ rule: 's4.f-business-calls-only' });
  });

  it('is s4.c when why, how or retention is missing, with or without business-calls-only', () => {
    // Act
    const errors = [
      refusal({ ...ALL, retention: false }),
      refusal({ ...ALL, purpose: false, businessCallsOnly: false }),
      refusal({ ...ALL, uses: false }, 'annual-reminder'),
    ];
    // Assert
    expect(errors.map((e) => (e as PolicyRefusalError).rule)).toEqual([
      's4.c-told-why',
      's4.c-told-why',
      's4.c-told-why',
    ]);
  });

  it('names every clause not yet told, in the order s.4 gives them, and the kind of notice', () => {
    // Act
    const error = refusal({ purpose: false, uses: false, retention: true, businessCallsOnly: false });
    // Assert
    expect((error as Error).message).toBe(
      'a first-use notice must cover everything s.4 asks; not yet told: s4.c why calls are recorded; ' +
        's4.c how recordings may be used; s4.f only business calls on a recorded extension',
    );
  });

  it('accepts a notice dated today that told everything', () => {
    expect(refusal(ALL)).toBeUndefined();
  });

  it('refuses a date that is not a day at all as a bad body.date, not a crash', () => {
    // Act
    const error = refusal(ALL, 'first-use', 'yesterday');
    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: 'body.date', expected: 'a real calendar day as YYYY-MM-DD' });
  });

  it('refuses a notice dated after today, naming body.date and today', () => {
    // Act
    const error = refusal(ALL, 'first-use', '2026-11-29');
    // Assert
    expect(error).toMatchObject({ field: 'body.date', expected: `not after today (${TODAY})` });
  });
});

describe('what a notice does to the staff record (s.4 a, b)', () => {
  it('keeps the earliest first-use notice when an earlier one is recorded late, and the latest as last reminder', () => {
    // Act
    const earlier = applyNotice(
      { staffId: 's1', areas: [], firstUse: '2026-05-01', lastReminder: '2026-05-01' },
      { kind: 'first-use', date: '2026-03-01' },
    );
    const later = applyNotice(
      { staffId: 's1', areas: [], firstUse: '2026-05-01', lastReminder: '2026-05-01' },
      { kind: 'first-use', date: '2026-07-01' },
    );
    // Assert
    expect(earlier).toMatchObject({ firstUse: '2026-03-01', lastReminder: '2026-05-01' });
    expect(later).toMatchObject({ firstUse: '2026-05-01', lastReminder: '2026-07-01' });
  });

  it('keeps the first-use date when an annual reminder dated before it is recorded late', () => {
    // Act
    const s = applyNotice(
      { staffId: 's1', areas: [], firstUse: '2026-05-01', lastReminder: '2026-05-01' },
      { kind: 'annual-reminder', date: '2026-03-01' },
    );
    // Assert
    expect(s).toMatchObject({ firstUse: '2026-05-01', lastReminder: '2026-05-01' });
  });

  it('moves the 12-month clock on from a newer annual reminder', () => {
    // Act
    const s = applyNotice(
      { staffId: 's1', areas: [], firstUse: '2025-01-01', lastReminder: '2025-01-01' },
      { kind: 'annual-reminder', date: '2026-01-10' },
    );
    // Assert
    expect(s).toMatchObject({ firstUse: '2025-01-01', lastReminder: '2026-01-10' });
    expect(dueStateOf(s)).toEqual({ nextDue: '2027-01-10', dueKind: 'annual-reminder' });
  });

  it('records that a frequent caller was informed, keeping the latest day, and starts no clock', () => {
    // Act
    const first = applyNotice(
      { staffId: 'c1', areas: [] },
      { kind: 'frequent-caller-informed', date: '2026-02-01' },
    );
    const older = applyNotice(first, { kind: 'frequent-caller-informed', date: '2026-01-01' });
    const newer = applyNotice(first, { kind: 'frequent-caller-informed', date: '2026-03-01' });
    // Assert
    expect(first).toEqual({ staffId: 'c1', areas: [], frequentCallerInformed: '2026-02-01' });
    expect(older.frequentCallerInformed).toBe('2026-02-01');
    expect(newer.frequentCallerInformed).toBe('2026-03-01');
    expect(dueStateOf(newer)).toEqual({});
  });

  it('counts 12 months from the first-use notice when it is later than the recorded reminder', () => {
    // Act
    const state = dueStateOf({
      staffId: 's1',
      areas: [],
      firstUse: '2026-04-01',
      lastReminder: '2026-01-01',
    });
    // Assert
    expect(state).toEqual({ nextDue: '2027-04-01', dueKind: 'annual-reminder' });
  });
});

describe('the due list as a manager reads it', () => {
  it('orders staff due the same day by staff id, lists areas in order, and shows their notice dates', () => {
    // Arrange
    const staff = [
      { staffId: 'b', areas: ['revenues', 'housing'], firstUse: '2025-01-01', lastReminder: '2025-01-01' },
      { staffId: 'a', areas: ['housing'], firstUse: '2025-01-01', lastReminder: '2025-01-01' },
    ];
    // Act
    const list = dueList(staff, TODAY);
    // Assert
    expect(list.reminderOverdue).toEqual([
      {
        staffId: 'a',
        areas: ['housing'],
        reason: 'reminder-overdue',
        dueSince: '2026-01-01',
        firstUse: '2025-01-01',
        lastReminder: '2025-01-01',
      },
      {
        staffId: 'b',
        areas: ['housing', 'revenues'],
        reason: 'reminder-overdue',
        dueSince: '2026-01-01',
        firstUse: '2025-01-01',
        lastReminder: '2025-01-01',
      },
    ]);
  });

  it('lists a never-told member of staff without notice dates', () => {
    // Act
    const list = dueList([{ staffId: 'n', areas: ['housing'], firstSeen: '2026-11-01' }], TODAY);
    // Assert
    expect(list.firstUseMissing).toEqual([
      { staffId: 'n', areas: ['housing'], reason: 'first-use-missing', dueSince: '2026-11-01' },
    ]);
    expect(list.asOf).toBe(TODAY);
  });
});
