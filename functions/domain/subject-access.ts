/**
 * DPA 2018 / UK GDPR Art. 12(3): a subject access request is answered "without undue delay and in any
 * event within one month of receipt", extendable "by two further months" where requests are complex or
 * numerous. The ICO's rule for the month: the time limit ends on the corresponding calendar day of the
 * next month; if that day does not exist (e.g. 31 January → February), it ends on the last day of that
 * next month. Dates here are calendar days (YYYY-MM-DD) in the council's own calendar, not instants.
 */

export type CalendarDay = string; // YYYY-MM-DD

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const parts = (day: CalendarDay): [number, number, number] => {
  const m = DAY_PATTERN.exec(day);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  if (!m || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    throw new RangeError(`not a calendar day (YYYY-MM-DD): ${day}`);
  return [y, mo, d];
};

const format = (y: number, m: number, d: number): CalendarDay =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The corresponding day `months` calendar months after `day`, or the last day of that month when it
 * has no such day (ICO: received 31 August → due 30 September; 31 January → 28 or 29 February).
 */
export const addCalendarMonths = (day: CalendarDay, months: number): CalendarDay => {
  const [y, m, d] = parts(day);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return format(year, month, Math.min(d, daysInMonth(year, month)));
};

/** The statutory due date: one calendar month from the day of receipt. */
export const sarDueDate = (received: CalendarDay): CalendarDay => addCalendarMonths(received, 1);

/** The furthest an extension may go: two further months, counted from the day of receipt (three in all). */
export const sarLatestExtendedDueDate = (received: CalendarDay): CalendarDay =>
  addCalendarMonths(received, 3);

export interface SarExtension {
  readonly to: CalendarDay;
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

export type ExtensionDecision =
  | { readonly ok: true; readonly dueDate: CalendarDay }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/**
 * An extension by up to two further months (Art. 12(3)), with its reason: only forward, never past
 * three months from receipt, and only while the request is still within its current time limit.
 */
export const extendSar = (
  sar: { readonly receivedOn: CalendarDay; readonly dueDate: CalendarDay },
  ext: { readonly to: CalendarDay; readonly reason: string; readonly today: CalendarDay },
): ExtensionDecision => {
  parts(ext.to);
  const latest = sarLatestExtendedDueDate(sar.receivedOn);
  if (ext.reason.trim() === '')
    return { ok: false, rule: 'dpa.sar-extension-reason', reason: 'an extension needs its reason recorded' };
  if (ext.to <= sar.dueDate)
    return {
      ok: false,
      rule: 'dpa.sar-extension-forward',
      reason: `an extension must move the due date beyond ${sar.dueDate}`,
    };
  if (ext.to > latest)
    return {
      ok: false,
      rule: 'dpa.sar-extension-limit',
      reason: `the time limit may be extended by two further months at most: to ${latest} for a request received ${sar.receivedOn}`,
    };
  if (ext.today > sar.dueDate)
    return {
      ok: false,
      rule: 'dpa.sar-extension-in-time',
      reason: `the request was due on ${sar.dueDate}: an extension must be decided within the time limit`,
    };
  return { ok: true, dueDate: ext.to };
};

/** Open requests are overdue from the day after their due date. */
export const isOverdue = (dueDate: CalendarDay, today: CalendarDay): boolean => today > dueDate;
