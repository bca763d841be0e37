import * as z from 'zod';
import { RECORDING_MODES } from '../domain/extension.js';
import { extensionNumber, serviceAreaId } from '../ingest/schema.js';

const who = z.string().trim().min(1).max(128);
const when = z.iso.datetime({ offset: true });
const confirmation = { confirmedBy: who, confirmedAt: when };

export const serviceAreaParams = z.object({ id: serviceAreaId });
export const extensionParams = z.object({ number: extensionNumber });

const LIMIT = 'an integer from 1 to 200';
/** `GET /extensions?serviceArea=…`: one area's register, a page at a time. */
export const extensionListQuery = z.strictObject({
  serviceArea: serviceAreaId,
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, LIMIT)
    .transform(Number)
    .pipe(z.number().int().min(1, LIMIT).max(200, LIMIT))
    .default(100),
  cursor: z.string().min(1).max(2048).optional(),
});
export type ExtensionListQuery = z.infer<typeof extensionListQuery>;
/** `GET /service-areas` takes no query: the whole register (tens of areas) in one answer. */
export const serviceAreaListQuery = z.strictObject({});

/** Every part is optional: a partial case is stored as `incomplete`, listing what is missing. */
export const serviceAreaBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  businessCase: z.strictObject({
    reason: z.string().trim().min(1).max(4000).optional(),
    itSecurity: z.strictObject({ ...confirmation, pciDssCompliant: z.boolean() }).optional(),
    informationGovernance: z
      .strictObject({ ...confirmation, piaReference: z.string().trim().min(1).max(200) })
      .optional(),
    hr: z.strictObject({ ...confirmation, staffConsulted: z.boolean() }).optional(),
    accessLevels: z
      .array(z.strictObject({ who, access: z.enum(['playback', 'download', 'release-request', 'none']) }))
      .max(200)
      .optional(),
    // No directorApproval: the Director approves with their own token (POST /service-areas/{id}/approve).
  }),
});
export type ServiceAreaBody = z.infer<typeof serviceAreaBody>;

export const extensionBody = z.strictObject({
  serviceArea: serviceAreaId,
  mode: z.enum(RECORDING_MODES),
  marked: z.boolean(),
  pairedUnrecorded: extensionNumber.optional(),
});
export type ExtensionBody = z.infer<typeof extensionBody>;
