/**
 * Staff whose awareness notice is due (GET /staff-notices/due, policy s.4 a): no first-use notice yet,
 * last reminder 12 months old or older, or due within 30 days. One indexed query per area asked for.
 * Readers: the registrar and IG officers (any area, or all), managers and heads of service (their areas).
 */

import { dayOf } from '../domain/days.js';
import { ForbiddenError } from '../domain/errors.js';
import { areasWith, hasAnyRole, type Principal } from '../domain/roles.js';
import {
  DUE_LIST_AREA_READERS,
  DUE_LIST_CORPORATE_READERS,
  type DueList,
  dueHorizon,
  dueList,
  type StaffRecord,
} from '../domain/staff-notices.js';
import type { StaffNoticesDeps } from '../ports/staff-notices.js';

export const staffNoticesDue = async (
  deps: StaffNoticesDeps,
  principal: Principal,
  { serviceArea }: { serviceArea?: string | undefined },
): Promise<DueList & { serviceAreas: string[] | 'all' }> => {
  const today = dayOf(deps.now());
  const horizon = dueHorizon(today);
  const corporate = hasAnyRole(principal, DUE_LIST_CORPORATE_READERS);
  const own = areasWith(principal, DUE_LIST_AREA_READERS);
  if (!corporate && (own.length === 0 || (serviceArea !== undefined && !own.includes(serviceArea)))) {
    throw new ForbiddenError(
      's4.due-list-readers',
      serviceArea
        ? `the due list of ${serviceArea} is for the registrar, IG officers, and its manager or head of service`
        : 'the due list is for the registrar, IG officers, and service area managers or heads of service',
    );
  }
  const areas = serviceArea ? [serviceArea] : corporate ? undefined : own.sort();
  const staff: StaffRecord[] = [];
  if (areas === undefined) staff.push(...(await deps.register.dueBy(horizon)));
  else {
    const seen = new Set<string>();
    for (const area of areas) {
      for (const s of await deps.register.dueBy(horizon, area)) {
        if (!seen.has(s.staffId)) staff.push(s);
        seen.add(s.staffId);
      }
    }
  }
  return { serviceAreas: areas ?? 'all', ...dueList(staff, today) };
};
