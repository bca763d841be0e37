/** Request shapes of the disclosures routes (zod → 400 naming the field). */
import * as z from 'zod';
import { ADVICE_PURPOSES, ADVICE_USES } from '../domain/ig-advice.js';

const text = (max: number) => z.string().trim().min(1).max(max);
export const idSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'an id of letters, digits, . _ : -');
const isoTime = z.iso.datetime({ offset: true });

export const adviceParams = z.object({ id: idSchema });

export const adviceBody = z.object({
  recordings: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('ids'), recordingIds: z.array(idSchema).min(1).max(500) }),
    z.object({ kind: z.literal('query'), serviceArea: idSchema, from: isoTime, to: isoTime }),
  ]),
  purposes: z.array(z.enum(ADVICE_PURPOSES)).min(1),
  uses: z.array(z.enum(ADVICE_USES)).min(1),
  agency: text(200).optional(),
  advice: text(10_000),
  conditions: z.array(text(2000)).max(50).default([]),
  expiresAt: isoTime,
});
export type AdviceBody = z.infer<typeof adviceBody>;
