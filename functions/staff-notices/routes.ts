/**
 * The staff-notice routes over injected dependencies, added to the registers function's route table
 * (functions/registers/routes.ts): `...staffNoticeRoutes(deps)`.
 */
import * as z from 'zod';
import { CHECKLIST_ITEMS, NOTICE_KINDS } from '../domain/staff-notices.js';
import { type AnyRoute, route } from '../http/router.js';
import type { StaffNoticesDeps } from '../ports/staff-notices.js';
import { staffNoticesDue } from './due.js';
import { type NoticeInput, recordStaffNotice } from './record-notice.js';

const staffId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'a staff id: letters, digits, . _ : @ -');
const serviceArea = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');

const checklist = z.strictObject(
  Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, z.boolean()])) as Record<
    (typeof CHECKLIST_ITEMS)[number],
    z.ZodBoolean
  >,
);

export const noticeBody = z.strictObject({
  staffId,
  kind: z.enum(NOTICE_KINDS),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  toldBy: staffId,
  checklist,
  serviceArea: serviceArea.optional(),
});

export const staffNoticeRoutes = (deps: StaffNoticesDeps): Record<string, AnyRoute> => ({
  'POST /staff-notices': route({
    body: noticeBody,
    run: async ({ body, principal }) => {
      const result = await recordStaffNotice(deps, principal, body as NoticeInput);
      return { status: result.created ? 201 : 200, body: result };
    },
  }),
  'GET /staff-notices/due': route({
    query: z.object({ serviceArea: serviceArea.optional() }),
    run: async ({ query, principal }) => ({
      status: 200,
      body: await staffNoticesDue(deps, principal, { serviceArea: query.serviceArea }),
    }),
  }),
});
