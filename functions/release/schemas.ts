/** Request shapes of the release routes (zod → 400 naming the field). */
import * as z from 'zod';
import { OTHER_PURPOSE, PURPOSES } from '../domain/purposes.js';
import { RELEASE_LOG_EVENTS, RELEASE_STATES } from '../domain/release.js';
import { DELIVERY_METHODS, SCHEDULE2_BASIS_IDS } from '../domain/schedule2.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of letters, digits, . _ : -');

export const releaseParams = z.object({ id });

export const destinationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('service-area'), serviceArea: id }),
  // A missing igAdviceRef is the policy's refusal (s6.ig-advice-required, 422), not a schema error.
  z.object({
    kind: z.literal('external-agency'),
    agency: text(200),
    igAdviceRef: text(100).optional(),
    /** What a DPA 2018 Schedule 2 request form asks of the agency. */
    schedule2: z.object({
      authorisingOfficer: z.object({ name: text(200), rank: text(100) }),
      statutoryBasis: z.enum(SCHEDULE2_BASIS_IDS),
      reference: text(100),
      whyNeeded: text(4000),
      prejudiceWithout: text(4000),
      dataSubjectMayBeTold: z.boolean(),
      deliveryMethod: z.enum(DELIVERY_METHODS),
    }),
  }),
]);

/** Purpose `other` without igAdviceRef is the policy's refusal (s6.other-purpose-needs-ig-advice, 422). */
export const requestBody = z.object({
  recordingId: id,
  destination: destinationSchema,
  purpose: z.enum([...PURPOSES, OTHER_PURPOSE]),
  igAdviceRef: text(100).optional(),
  justification: text(2000),
});

export const rejectBody = z.object({ reason: text(2000) });

export const listQuery = z.object({
  state: z.enum(RELEASE_STATES).optional(),
  recordingId: id.optional(),
  requester: id.optional(),
  /** `true`: only requests the caller may approve or reject now (an approver's queue; never their own). */
  decidable: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const isoTime = z.iso.datetime({ offset: true });

export const logQuery = z.object({
  releaseId: id.optional(),
  requester: id.optional(),
  event: z.enum(RELEASE_LOG_EVENTS).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  format: z.enum(['json', 'csv']).optional(),
  /** Entries per page of the full export (filtered views come whole). */
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  /** Opaque: the `cursor` (JSON) or `x-next-cursor` (CSV) of the previous page. */
  cursor: z.string().min(1).max(2048).optional(),
});
