/** Request shapes of the subject access request routes (zod → 400 naming the field). */
import * as z from 'zod';
import { IDENTITY_CHECKS, SAR_DECISIONS, SAR_EXEMPTION_IDS } from '../domain/subject-access-request.js';
import { idSchema } from './schemas.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });
const calendarDay = z.iso.date();
/** The same form ingest registers caller numbers in, so the HMAC matches. */
const E164 = /^\+[1-9][0-9]{6,14}$/;

export const sarParams = z.object({ id: idSchema });
export const sarRecordingParams = z.object({ id: idSchema, recordingId: idSchema });

export const openBody = z.object({
  requester: z.object({ name: text(200), reference: text(100).optional() }),
  /** What was checked, never the documents themselves. */
  identityChecks: z
    .array(z.object({ check: z.enum(IDENTITY_CHECKS), detail: text(500) }))
    .min(1)
    .max(10),
  callerNumbers: z.array(z.string().regex(E164, 'E.164, e.g. +441234567890')).min(1).max(10),
  from: isoTime,
  to: isoTime,
  receivedOn: calendarDay.optional(),
});
export type OpenBody = z.infer<typeof openBody>;

export const extendBody = z.object({ to: calendarDay, reason: text(2000) });
export type ExtendBody = z.infer<typeof extendBody>;

export const markBody = z.object({
  decision: z.enum(SAR_DECISIONS),
  exemption: z.enum(SAR_EXEMPTION_IDS).optional(),
  note: text(2000).optional(),
});
export type MarkBody = z.infer<typeof markBody>;

export const closeBody = z.object({ note: text(2000) });

export const reportQuery = z.object({ months: z.coerce.number().int().min(1).max(36).default(12) });
