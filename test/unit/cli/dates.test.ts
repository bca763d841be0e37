import { DateOptionError, dayOf, rangeEnd, rangeStart } from '../../../cli/dates.js';

describe('CLI dates: a day or a date-time everywhere', () => {
  it('widens a day to its first and last instant for a range', () => {
    expect(rangeStart('from', '2026-11-01')).toBe('2026-11-01T00:00:00.000Z');
    expect(rangeEnd('to', '2026-11-30')).toBe('2026-11-30T23:59:59.999Z');
  });

  it('keeps a date-time with an offset, as UTC', () => {
    expect(rangeStart('from', '2026-11-01T10:00:00+01:00')).toBe('2026-11-01T09:00:00.000Z');
    expect(rangeEnd('to', '2026-11-01T09:00Z')).toBe('2026-11-01T09:00:00.000Z');
  });

  it('gives the UTC day of a date-time where a day is asked for', () => {
    expect(dayOf('review', '2027-06-30')).toBe('2027-06-30');
    expect(dayOf('review', '2027-06-30T23:30:00-02:00')).toBe('2027-07-01');
  });

  it.each(['2026-02-30', '30/11/2026', 'yesterday', '2026-11-01T09:00:00', ''])(
    'refuses %j naming the option and the format',
    (value) => {
      expect(() => rangeStart('from', value)).toThrow(DateOptionError);
      expect(() => rangeStart('from', value)).toThrow(/--from .*YYYY-MM-DD .*date-time with offset/);
    },
  );
});
