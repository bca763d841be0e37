import { PolicyRefusalError, ValidationError } from '../../../functions/domain/errors.js';
import {
  applyNotice,
  checkNotice,
  dueList,
  dueStateOf,
  reminderDueAfter,
  type StaffRecord,
  sameNotice,
} from '../../../functions/domain/staff-notices.js';

const ALL = { purpose: true, uses: true, retention: true, businessCallsOnly: true };
const TODAY = '2026-11-28';

const thrown = (act: () => void): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('staff awareness notices (policy s.4)', () => {
  describe('when the next notice is due', () => {
    it('is due from the day first seen while no first-use notice is recorded', () => {
      expect(dueStateOf({ staffId: 's1', areas: ['revenues'], firstSeen: '2026-03-01' })).toEqual({
        nextDue: '2026-03-01',
        dueKind: 'first-use',
      });
    });

    it('is 12 months after the latest first-use or reminder', () => {
      expect(
        dueStateOf({ staffId: 's1', areas: [], firstUse: '2024-05-10', lastReminder: '2025-06-01' }),
      ).toEqual({ nextDue: '2026-06-01', dueKind: 'annual-reminder' });
    });

    it('never falls a day late after 29 February', () => {
      expect(reminderDueAfter('2024-02-29')).toBe('2025-02-28');
    });

    it('is never due for someone only informed as a frequent caller', () => {
      expect(dueStateOf({ staffId: 's1', areas: [], frequentCallerInformed: '2026-01-01' })).toEqual({});
    });
  });

  describe('the due list', () => {
    const staff: StaffRecord[] = [
      { staffId: 'never-told', areas: ['revenues'], firstSeen: '2026-11-01' },
      {
        staffId: 'exactly-12-months',
        areas: ['revenues'],
        firstUse: '2025-11-28',
        lastReminder: '2025-11-28',
      },
      { staffId: 'overdue', areas: ['housing'], firstUse: '2024-01-01', lastReminder: '2025-01-15' },
      { staffId: 'due-in-30', areas: ['revenues'], firstUse: '2025-12-28', lastReminder: '2025-12-28' },
      { staffId: 'due-in-31', areas: ['revenues'], firstUse: '2025-12-29', lastReminder: '2025-12-29' },
      { staffId: 'caller', areas: [], frequentCallerInformed: '2020-01-01' },
    ];

    it('lists missing first-use notices, reminders 12 months old or older, and those due within 30 days', () => {
      // Act
      const list = dueList(staff, TODAY);
      // Assert
      expect(list.horizon).toBe('2026-12-28');
      expect(list.firstUseMissing.map((s) => s.staffId)).toEqual(['never-told']);
      expect(list.reminderOverdue.map((s) => s.staffId)).toEqual(['overdue', 'exactly-12-months']);
      expect(list.reminderDueSoon.map((s) => [s.staffId, s.dueSince])).toEqual([['due-in-30', '2026-12-28']]);
    });
  });

  describe('checking a notice', () => {
    it('refuses a first-use notice that did not cover the retention policy, naming s.4 c', () => {
      const act = () =>
        checkNotice(
          {
            staffId: 's1',
            toldBy: 'm1',
            kind: 'first-use',
            date: TODAY,
            checklist: { ...ALL, retention: false },
          },
          TODAY,
        );
      expect(act).toThrow(PolicyRefusalError);
      expect(act).toThrow(/s4\.c the retention policy/);
    });

    it('refuses an annual reminder that left out business-calls-only under rule s4.f', () => {
      // Act
      const error = thrown(() =>
        checkNotice(
          {
            staffId: 's1',
            toldBy: 'm1',
            kind: 'annual-reminder',
            date: TODAY,
            checklist: { ...ALL, businessCallsOnly: false },
          },
          TODAY,
        ),
      );
      // Assert
      expect(error).toBeInstanceOf(PolicyRefusalError);
      expect(error).toMatchObject({ rule: 's4.f-business-calls-only' });
    });

    it('accepts a frequent-caller notice without the checklist', () => {
      const none = { purpose: false, uses: false, retention: false, businessCallsOnly: false };
      expect(() =>
        checkNotice(
          { staffId: 's1', toldBy: 'm1', kind: 'frequent-caller-informed', date: TODAY, checklist: none },
          TODAY,
        ),
      ).not.toThrow();
    });

    it.each([
      ['2026-11-29', /not after today/],
      ['2026-02-30', /real calendar day/],
    ])('refuses the date %s', (date, message) => {
      const act = () =>
        checkNotice({ staffId: 's1', toldBy: 'm1', kind: 'first-use', date, checklist: ALL }, TODAY);
      expect(act).toThrow(ValidationError);
      expect(act).toThrow(message);
    });
  });

  describe('a notice recorded again', () => {
    const stored = { toldBy: 'm1', checklist: ALL };

    it('is the same notice with the same teller and answers, whatever order the answers come back in', () => {
      const reordered = { businessCallsOnly: true, retention: true, uses: true, purpose: true };
      expect(sameNotice({ toldBy: 'm1', checklist: reordered }, stored)).toBe(true);
    });

    it.each([
      ['another teller', { toldBy: 'm2', checklist: ALL }],
      ['another answer', { toldBy: 'm1', checklist: { ...ALL, uses: false } }],
    ])('is a different notice with %s', (_what, repeat) => {
      expect(sameNotice(stored, repeat)).toBe(false);
    });
  });

  describe('applying a notice', () => {
    it('keeps the latest reminder when an older one is recorded late', () => {
      const s = applyNotice(
        { staffId: 's1', areas: [], firstUse: '2024-01-01', lastReminder: '2026-01-01' },
        { kind: 'annual-reminder', date: '2025-01-01' },
      );
      expect(s.lastReminder).toBe('2026-01-01');
    });

    it('counts an annual reminder as the first notice when no first-use notice was recorded', () => {
      const s = applyNotice(
        { staffId: 's1', areas: ['revenues'], firstSeen: '2026-01-01' },
        { kind: 'annual-reminder', date: '2026-02-01' },
      );
      expect(dueStateOf(s)).toEqual({ nextDue: '2027-02-01', dueKind: 'annual-reminder' });
    });
  });
});
