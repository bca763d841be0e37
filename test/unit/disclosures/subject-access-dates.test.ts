/**
 * Subject access time limits, from the ICO's guidance ("Time limits for responding to data protection
 * rights requests") and UK GDPR Art. 12(3), not from the code: one calendar month from receipt, ending on
 * the corresponding day or, where there is none, the last day of the following month; extension by up to
 * two further months with a reason.
 */
import {
  addCalendarMonths,
  extendSar,
  isOverdue,
  sarDueDate,
  sarLatestExtendedDueDate,
} from '../../../functions/domain/subject-access.js';

describe('sarDueDate: one calendar month, the ICO way', () => {
  it.each([
    // The ICO's own examples.
    ['2026-09-03', '2026-10-03'], // received 3 September → 3 October
    ['2026-08-31', '2026-09-30'], // 31 August → 30 September (no 31 September)
    // Month ends.
    ['2026-01-31', '2026-02-28'],
    ['2026-03-31', '2026-04-30'],
    ['2026-01-30', '2026-02-28'],
    ['2026-01-28', '2026-02-28'],
    ['2026-02-28', '2026-03-28'], // not "the last day of March": the corresponding day exists
    ['2026-04-30', '2026-05-30'],
    // Leap years.
    ['2028-01-31', '2028-02-29'],
    ['2028-01-29', '2028-02-29'],
    ['2028-02-29', '2028-03-29'],
    ['2100-01-31', '2100-02-28'], // 2100 is not a leap year
    ['2000-01-31', '2000-02-29'], // 2000 is
    // Year end.
    ['2026-12-31', '2027-01-31'],
    ['2026-12-15', '2027-01-15'],
  ])('received %s → due %s', (received, due) => {
    expect(sarDueDate(received)).toBe(due);
  });

  it('refuses something that is not a calendar day', () => {
    for (const bad of ['2026-13-01', '2026-02-29', '2026-04-31', '1 March 2026'])
      expect(() => sarDueDate(bad)).toThrow(RangeError);
  });
});

describe('extensions by two further months', () => {
  it.each([
    ['2026-11-30', '2027-02-28'],
    ['2027-11-30', '2028-02-29'],
    ['2026-10-31', '2027-01-31'],
  ])('received %s → may be extended to %s at the latest', (received, latest) => {
    expect(sarLatestExtendedDueDate(received)).toBe(latest);
    expect(addCalendarMonths(received, 3)).toBe(latest);
  });

  const SAR = { receivedOn: '2026-11-30', dueDate: '2026-12-30' };

  it('extends forward, within three months of receipt, decided in time, with a reason', () => {
    expect(
      extendSar(SAR, {
        to: '2027-02-28',
        reason: 'complex: 40 recordings need third-party review',
        today: '2026-12-20',
      }),
    ).toEqual({
      ok: true,
      dueDate: '2027-02-28',
    });
  });

  it.each([
    ['no reason', { to: '2027-01-30', reason: ' ', today: '2026-12-20' }, 'dpa.sar-extension-reason'],
    ['backwards', { to: '2026-12-29', reason: 'r', today: '2026-12-20' }, 'dpa.sar-extension-forward'],
    [
      'beyond two further months',
      { to: '2027-03-01', reason: 'r', today: '2026-12-20' },
      'dpa.sar-extension-limit',
    ],
    [
      'after the time limit passed',
      { to: '2027-01-30', reason: 'r', today: '2026-12-31' },
      'dpa.sar-extension-in-time',
    ],
  ])('refuses an extension %s', (_case, ext, rule) => {
    expect(extendSar(SAR, ext)).toMatchObject({ ok: false, rule });
  });

  it('counts a request overdue from the day after its due date', () => {
    expect(isOverdue('2026-12-30', '2026-12-30')).toBe(false);
    expect(isOverdue('2026-12-30', '2026-12-31')).toBe(true);
  });
});
