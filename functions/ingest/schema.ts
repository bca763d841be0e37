/** Request schemas of the ingest API. Strict: an unknown field is a mistake the platform should hear about. */
import * as z from 'zod';
import { AUDIO_FORMATS } from '../domain/recording.js';
import { MAX_AUDIO_BYTES } from '../domain/upload.js';

const id = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._:-]*$/,
      `${what}: letters, digits, . _ : - (starting with a letter or digit)`,
    );

export const serviceAreaId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');

export const extensionNumber = z.string().regex(/^[0-9]{2,15}$/, '2 to 15 digits');

const isoWithOffset = z.iso.datetime({ offset: true });

export const E164 = /^\+[1-9][0-9]{6,14}$/;

const notification = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('announcement') }),
  z.strictObject({ method: z.literal('agent-statement') }),
  z.strictObject({ method: z.literal('advance-notice'), evidenceRef: z.string().trim().min(1).max(256) }),
  z.strictObject({ method: z.literal('none') }),
]);

const second = z.number().int().min(0);

export const uploadBody = z.strictObject({
  callId: id('callId'),
  serviceArea: serviceAreaId,
  extension: extensionNumber,
  direction: z.enum(['inbound', 'outbound']),
  startedAt: isoWithOffset,
  endedAt: isoWithOffset,
  agentId: id('agentId'),
  counterparty: z.union([z.literal('withheld'), z.string().regex(E164, 'E.164, e.g. +441234567890')]),
  notification,
  abuseReminder: z.boolean(),
  verificationReminder: z.boolean(),
  pci: z.strictObject({
    pausedSegments: z.array(z.strictObject({ fromSecond: second, toSecond: second })).max(1000),
    cardDataCaptured: z.boolean(),
  }),
  audio: z.strictObject({
    format: z.enum(AUDIO_FORMATS),
    sizeBytes: z.number().int().min(1).max(MAX_AUDIO_BYTES),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 lower-case hex digits'),
  }),
});

export type UploadBody = z.infer<typeof uploadBody>;

export const callIdParams = z.object({ callId: id('callId') });
