/**
 * The longest `months` calendar months can last, in days (12 → 366, 24 → 731). Object Lock and lifecycle
 * rules count whole days from upload; using the longest span means no object leaves its lock or is
 * expired before `months` calendar months have passed, whatever day it was stored. Shared by the CDK
 * stack and the local stack's Object Lock layer, so their default retention cannot drift.
 */
export const maxDaysIn = (months: number): number => {
  let longest = 0;
  // Four years cover every leap-year position of the start day.
  for (let day = 0; day < 4 * 366; day++) {
    const start = new Date(Date.UTC(2000, 0, 1 + day));
    const end = new Date(start);
    end.setUTCMonth(end.getUTCMonth() + months);
    // A 31st with no 31st in the target month rolls into the next month: that is the later date, keep it.
    longest = Math.max(longest, Math.round((end.getTime() - start.getTime()) / 86_400_000));
  }
  return longest;
};
