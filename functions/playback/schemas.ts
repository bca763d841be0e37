/**
 * Request schemas of the playback function. Strict: an unknown field or query parameter is a 400 naming
 * it. Identifier patterns match the ingest schemas (functions/ingest/schema.ts).
 */
import * as z from 'zod';
import { OTHER_PURPOSE, PURPOSES } from '../domain/purposes.js';
import { RECORDING_STATUSES } from '../domain/recording.js';

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, . _ : - (starting with a letter or digit)');
const serviceArea = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');
const instant = z.iso
  .datetime({ offset: true, message: 'ISO 8601 date-time with offset, e.g. 2026-01-31T09:00:00Z' })
  .transform((v) => new Date(v).toISOString());
const limit = z
  .string()
  .regex(/^[0-9]{1,3}$/, 'an integer from 1 to 100')
  .transform(Number)
  .pipe(z.number().int().min(1, 'an integer from 1 to 100').max(100, 'an integer from 1 to 100'))
  .default(25);
const cursor = z.string().min(1).max(2048);

const ordered = <T extends { from?: string; to?: string }>(q: T, ctx: z.RefinementCtx) => {
  if (q.from && q.to && q.from > q.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before `from`' });
  }
};

export const recordingParams = z.object({ id });

export const searchQuery = z
  .strictObject({
    serviceArea: serviceArea.optional(),
    from: instant.optional(),
    to: instant.optional(),
    extension: z
      .string()
      .regex(/^[0-9]{2,15}$/, '2 to 15 digits')
      .optional(),
    agent: id.optional(),
    caller: z
      .string()
      .regex(/^\+[1-9][0-9]{6,14}$/, 'E.164, e.g. +441234567890')
      .optional(),
    status: z.enum(RECORDING_STATUSES).optional(),
    limit,
    cursor: cursor.optional(),
  })
  .superRefine(ordered);
export type SearchQuery = z.infer<typeof searchQuery>;

const purposeFields = {
  purpose: z.enum([...PURPOSES, OTHER_PURPOSE], {
    message: `one of ${[...PURPOSES, OTHER_PURPOSE].join(', ')}`,
  }),
  igAdviceRef: z.string().trim().min(1).max(128).optional(),
  note: z.string().trim().max(500).optional(),
};
/** `other` without an IG advice reference is a policy refusal (422, audited), not a schema error: link.ts. */
export const playbackBody = z.strictObject(purposeFields);
export type PlaybackBody = z.infer<typeof playbackBody>;

export const downloadBody = playbackBody;

export const deleteBody = z.strictObject({
  reason: z.string().trim().min(3, 'at least 3 characters: why the recording is deleted').max(1000),
});
export type DeleteBody = z.infer<typeof deleteBody>;

export const auditQueryParams = z
  .strictObject({
    recordingId: id.optional(),
    actor: id.optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit,
    cursor: cursor.optional(),
  })
  .superRefine(ordered);
export type AuditQueryParams = z.infer<typeof auditQueryParams>;

const exportLimit = z
  .string()
  .regex(/^[0-9]{1,4}$/, 'an integer from 1 to 1000')
  .transform(Number)
  .pipe(z.number().int().min(1, 'an integer from 1 to 1000').max(1000, 'an integer from 1 to 1000'))
  .default(1000);

export const auditExportParams = z.strictObject({ limit: exportLimit, cursor: cursor.optional() });
export type AuditExportParams = z.infer<typeof auditExportParams>;
