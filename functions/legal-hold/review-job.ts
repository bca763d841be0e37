/** Scheduled job `hold-reviews`: the holds whose review date has come (review index, never a scan). */

import { dynamoHoldsStore } from '../adapters/holds-store.js';
import { dayOf } from '../domain/days.js';
import type { HoldsStore } from '../domain/holds.js';
import { tableName } from '../platform/env.js';
import { log } from '../platform/log.js';

export const holdsDueForReview = async (store: Pick<HoldsStore, 'listActiveHolds'>, now: Date) => {
  const due = (await store.listActiveHolds(dayOf(now))).map((h) => ({
    holdId: h.holdId,
    caseRef: h.caseRef,
    reviewDate: h.reviewDate,
    placedBy: h.placedBy,
  }));
  log.info('holds due for review', { job: 'hold-reviews', count: due.length, holds: due });
  return { count: due.length, holds: due };
};

export const runHoldReviews = (now: Date = new Date()) =>
  holdsDueForReview(dynamoHoldsStore(tableName('holds')), now);
