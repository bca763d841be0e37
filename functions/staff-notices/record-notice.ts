/**
 * Records that a member of staff was told calls are recorded (POST /staff-notices, policy s.4 a–c, f).
 * 1. Check the notice (a real day, not in the future; first-use and reminders cover every s.4 item).
 * 2. Authorise: the registrar, or a manager of a service area the staff member is known in. A manager
 *    naming their own `serviceArea` adds to it only staff of that area or staff the register does not
 *    know yet (a new starter's first-use notice); staff known only in other areas are not theirs to add
 *    (issue 11 item 12). They may still record that such a person, a frequent caller of their recorded
 *    extensions, was informed (s.4 b): that notice is recorded without adding them to the area.
 * 3. Store the notice once per staff, day and kind (a repeat with the same content is accepted).
 * 4. Update the staff register, which moves their next-due date in the due index.
 */

import { dayOf } from '../domain/days.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import { areasWith, hasRole, type Principal } from '../domain/roles.js';
import {
  applyNotice,
  type Checklist,
  checkNotice,
  dueStateOf,
  type NoticeKind,
  type StaffNotice,
} from '../domain/staff-notices.js';
import type { StaffNoticesDeps } from '../ports/staff-notices.js';

export interface NoticeInput {
  readonly staffId: string;
  readonly kind: NoticeKind;
  readonly date: string;
  readonly toldBy: string;
  readonly checklist: Checklist;
  readonly serviceArea?: string;
}

export const recordStaffNotice = async (deps: StaffNoticesDeps, principal: Principal, input: NoticeInput) => {
  const now = deps.now();
  checkNotice(input, dayOf(now));
  const record = await deps.register.get(input.staffId);
  const otherAreasOnly =
    input.serviceArea !== undefined && record.areas.length > 0 && !record.areas.includes(input.serviceArea);
  if (!hasRole(principal, 'registrar')) {
    const managed = areasWith(principal, ['manager']);
    const allowed = input.serviceArea
      ? managed.includes(input.serviceArea)
      : record.areas.some((a) => managed.includes(a));
    if (!allowed) {
      throw new ForbiddenError(
        's4.notice-recorders',
        input.serviceArea
          ? `only the registrar or a manager of ${input.serviceArea} may record this notice`
          : `only the registrar or a manager of a service area ${input.staffId} works in may record their notices`,
      );
    }
    if (otherAreasOnly && input.kind !== 'frequent-caller-informed') {
      throw new ForbiddenError(
        's4.notice-recorders',
        `${input.staffId} works in ${record.areas.join(', ')}, not ${input.serviceArea}: only the registrar or a manager of their own area may record this notice or add them to ${input.serviceArea}`,
      );
    }
  }
  // A frequent caller from another area is informed, not made staff of this area (s.4 b).
  const joinArea =
    input.serviceArea !== undefined && !(otherAreasOnly && input.kind === 'frequent-caller-informed')
      ? input.serviceArea
      : undefined;
  const notice: StaffNotice = {
    staffId: input.staffId,
    kind: input.kind,
    date: input.date,
    toldBy: input.toldBy,
    checklist: input.checklist,
    recordedBy: principal.staffId,
    recordedAt: now.toISOString(),
  };
  const { result, stored } = await deps.register.putNotice(notice);
  if (result === 'different') {
    throw new ConflictError(
      `a ${input.kind} notice for ${input.staffId} on ${input.date} is already recorded with different details`,
    );
  }
  const staff = await deps.register.update(input.staffId, (s) => {
    const withArea = joinArea && !s.areas.includes(joinArea) ? { ...s, areas: [...s.areas, joinArea] } : s;
    const next = applyNotice(withArea, notice);
    return JSON.stringify(next) === JSON.stringify(s) ? undefined : next;
  });
  return {
    created: result === 'created',
    notice: stored,
    staff: { ...staff, ...dueStateOf(staff) },
  };
};
