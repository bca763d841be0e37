/** Request schemas of the holds API. */
import * as z from 'zod';
import { type HoldScope, REVIEW_OUTCOMES } from '../domain/holds.js';

const day = z.iso.date();
const instant = z.iso.datetime({ offset: true });
/** Catalogue times are stored as toISOString() (UTC, milliseconds): compare like with like. */
const utcInstant = instant.transform((v) => new Date(v).toISOString());
const text = (max: number) => z.string().trim().min(1).max(max);
const recordingId = z.string().min(1).max(128);

const query = z
  .strictObject({
    serviceArea: text(64),
    extension: text(15).optional(),
    agentId: text(128).optional(),
    from: utcInstant,
    to: utcInstant,
  })
  .refine((q) => new Date(q.from) <= new Date(q.to), { message: 'from must not be after to', path: ['to'] });

/**
 * The longest id list one hold may name. The hold item stores its scope (DynamoDB items stop at 400 KB:
 * 1,000 ids of up to 128 characters fit with room for the rest); more recordings are held by a query.
 */
export const MAX_HOLD_IDS = 1000;

/** Exactly one of a list of recording ids or a catalogue query (errors then name the inner field). */
const scope = z
  .strictObject({
    recordingIds: z
      .array(recordingId)
      .min(1)
      .max(MAX_HOLD_IDS, `at most ${MAX_HOLD_IDS} recording ids per hold; hold more with a query scope`)
      .optional(),
    query: query.optional(),
  })
  .refine((s) => (s.recordingIds === undefined) !== (s.query === undefined), {
    message: 'give either recordingIds or query',
  })
  .transform((s): HoldScope => (s.query ? { query: s.query } : { recordingIds: s.recordingIds ?? [] }));

export const placeHoldBody = z.strictObject({
  caseRef: text(128),
  reason: text(2000),
  reviewDate: day,
  scope,
  retainUntil: z.union([day, instant]).optional(),
  igGuidanceRef: text(256).optional(),
});

export const liftHoldBody = z.strictObject({ reason: text(2000) });

export const reviewHoldBody = z.strictObject({
  outcome: z.enum(REVIEW_OUTCOMES),
  nextReview: day.optional(),
  note: text(2000).optional(),
});

export const holdParams = z.object({ id: z.string().min(1).max(64) });

export const listHoldsQuery = z.object({ dueForReview: z.enum(['true', 'false']).optional() });
