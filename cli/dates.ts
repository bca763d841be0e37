/**
 * Dates on the command line: every date option takes a day (`2026-11-01`) or a date-time with an offset
 * (`2026-11-01T09:00:00Z`, `2026-11-01T10:00:00+01:00`), and turns it into what the API asks for. A day
 * as the start of a range is its first instant (00:00:00.000Z), as the end its last (23:59:59.999Z), so
 * `--from 2026-11-01 --to 2026-11-30` is the whole of November (UTC).
 */

/** What each `--help` says about dates. */
export const DATE_FORMAT =
  'dates: YYYY-MM-DD (a whole day, UTC) or a date-time with offset, e.g. 2026-11-01T09:00:00Z';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export class DateOptionError extends Error {
  constructor(option: string, value: string) {
    super(`--${option} ${value}: not a date; ${DATE_FORMAT}`);
  }
}

const validDay = (value: string): boolean => {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};

const parse = (option: string, value: string): { day: string } | { instant: Date } => {
  if (DAY.test(value) && validDay(value)) return { day: value };
  const instant = new Date(value);
  if (DATE_TIME.test(value) && !Number.isNaN(instant.getTime())) return { instant };
  throw new DateOptionError(option, value);
};

/** The start of a range: a day's first instant, or the date-time itself (as UTC ISO). */
export const rangeStart = (option: string, value: string): string => {
  const p = parse(option, value);
  return 'day' in p ? `${p.day}T00:00:00.000Z` : p.instant.toISOString();
};

/** The end of a range: a day's last instant, or the date-time itself (as UTC ISO). */
export const rangeEnd = (option: string, value: string): string => {
  const p = parse(option, value);
  return 'day' in p ? `${p.day}T23:59:59.999Z` : p.instant.toISOString();
};

/** A day: the day itself, or the UTC day of a date-time. */
export const dayOf = (option: string, value: string): string => {
  const p = parse(option, value);
  return 'day' in p ? p.day : p.instant.toISOString().slice(0, 10);
};

/** Applies `convert` to an optional option value. */
export const optional = <T>(
  option: string,
  value: string | undefined,
  convert: (option: string, value: string) => T,
): T | undefined => (value === undefined ? undefined : convert(option, value));
