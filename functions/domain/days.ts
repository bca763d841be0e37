/** Calendar days (UTC, `YYYY-MM-DD`): the one `dayOf` and the one `addDays` of the policy code. */

/** The UTC day of an instant. */
export const dayOf = (iso: string | Date): string =>
  (typeof iso === 'string' ? new Date(iso) : iso).toISOString().slice(0, 10);

/** The day `days` after `day` (negative: before). */
export const addDays = (day: string, days: number): string => {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dayOf(d);
};
