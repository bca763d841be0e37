/**
 * Policy s.4 (a)–(c), (f): staff awareness that calls may be recorded.
 *
 * - A member of staff who holds a grant in a service area, or who is named as the agent on a recorded
 *   call, must be told on first use (first-use notice) and reminded every 12 months (annual-reminder).
 * - Staff of other service areas who frequently call recorded extensions must be informed (s.4 b).
 * - What they are told (s.4 c, f): why calls are recorded, how recordings may be used, the retention
 *   policy, and that only business calls may be made on the extension.
 *
 * Decision: a first-use notice and an annual reminder both restart the 12-month clock, so both must tick
 * every checklist item (a reminder that leaves out retention or business-calls-only is not the reminder
 * s.4 asks for). A frequent-caller notice records that the person was informed; it does not start a clock.
 */

import { addDays, dayOf } from './days.js';
import { PolicyRefusalError, ValidationError } from './errors.js';
import { addMonthsUtc } from './retention.js';

export const NOTICE_KINDS = ['first-use', 'annual-reminder', 'frequent-caller-informed'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const CHECKLIST_ITEMS = ['purpose', 'uses', 'retention', 'businessCallsOnly'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];
export type Checklist = Readonly<Record<ChecklistItem, boolean>>;

/** The clause of s.4 each checklist item answers. */
const CHECKLIST_CLAUSE: Record<ChecklistItem, string> = {
  purpose: 's4.c why calls are recorded',
  uses: 's4.c how recordings may be used',
  retention: 's4.c the retention policy',
  businessCallsOnly: 's4.f only business calls on a recorded extension',
};

export const REMINDER_MONTHS = 12;
/** "Due soon" window of the due list. */
export const DUE_SOON_DAYS = 30;

export interface StaffNotice {
  readonly staffId: string;
  readonly kind: NoticeKind;
  /** YYYY-MM-DD: the day they were told. */
  readonly date: string;
  /** Staff id of the person who told them. */
  readonly toldBy: string;
  readonly checklist: Checklist;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

/**
 * A notice recorded again for the same staff member, day and kind is the same notice when it names the
 * same teller and the same checklist answers (item by item: a stored map's keys come back in any order).
 */
export const sameNotice = (
  stored: Pick<StaffNotice, 'toldBy' | 'checklist'>,
  repeat: Pick<StaffNotice, 'toldBy' | 'checklist'>,
): boolean =>
  stored.toldBy === repeat.toldBy &&
  CHECKLIST_ITEMS.every((item) => stored.checklist?.[item] === repeat.checklist[item]);

/** One entry of the staff register: what the due list is computed from. */
export interface StaffRecord {
  readonly staffId: string;
  /** Service areas where they hold a grant or answered recorded calls. */
  readonly areas: readonly string[];
  /** YYYY-MM-DD the system first saw them use recording (grant or call). Absent: known only by a notice. */
  readonly firstSeen?: string;
  readonly firstUse?: string;
  /** Latest first-use or annual-reminder date. */
  readonly lastReminder?: string;
  readonly frequentCallerInformed?: string;
}

export type DueReason = 'first-use-missing' | 'reminder-overdue' | 'reminder-due-soon';

export interface DueState {
  /** YYYY-MM-DD; absent when nothing is ever due (known only as an informed frequent caller). */
  readonly nextDue?: string;
  readonly dueKind?: 'first-use' | 'annual-reminder';
}

/** The 12-monthly reminder after a day (29 Feb + 12 months = 28 Feb: never a day late). */
export const reminderDueAfter = (day: string): string =>
  dayOf(addMonthsUtc(new Date(`${day}T00:00:00Z`), REMINDER_MONTHS));

/**
 * When the next notice is due. No first-use notice yet: due from the day they were first seen.
 * Otherwise 12 months after the latest first-use or annual reminder.
 */
export const dueStateOf = (s: StaffRecord): DueState => {
  if (!s.firstUse) {
    return s.firstSeen ? { nextDue: s.firstSeen, dueKind: 'first-use' } : {};
  }
  const last = s.lastReminder && s.lastReminder > s.firstUse ? s.lastReminder : s.firstUse;
  return { nextDue: reminderDueAfter(last), dueKind: 'annual-reminder' };
};

/** The upper bound of the due list: today + 30 days. */
export const dueHorizon = (today: string): string => addDays(today, DUE_SOON_DAYS);

export const dueReasonOf = (s: StaffRecord, today: string): DueReason | undefined => {
  const state = dueStateOf(s);
  if (!state.nextDue) return undefined;
  if (state.dueKind === 'first-use') return 'first-use-missing';
  if (state.nextDue <= today) return 'reminder-overdue';
  if (state.nextDue <= dueHorizon(today)) return 'reminder-due-soon';
  return undefined;
};

export interface DueEntry {
  readonly staffId: string;
  readonly areas: readonly string[];
  readonly reason: DueReason;
  readonly dueSince: string;
  readonly firstUse?: string;
  readonly lastReminder?: string;
}

export interface DueList {
  readonly asOf: string;
  readonly horizon: string;
  readonly firstUseMissing: DueEntry[];
  readonly reminderOverdue: DueEntry[];
  readonly reminderDueSoon: DueEntry[];
}

/** Sorts staff (already narrowed by an indexed query to next-due <= horizon) into the three lists. */
export const dueList = (staff: readonly StaffRecord[], today: string): DueList => {
  const list: DueList = {
    asOf: today,
    horizon: dueHorizon(today),
    firstUseMissing: [],
    reminderOverdue: [],
    reminderDueSoon: [],
  };
  const byDue = [...staff].sort(
    (a, b) =>
      (dueStateOf(a).nextDue ?? '').localeCompare(dueStateOf(b).nextDue ?? '') ||
      a.staffId.localeCompare(b.staffId),
  );
  for (const s of byDue) {
    const reason = dueReasonOf(s, today);
    if (!reason) continue;
    const entry: DueEntry = {
      staffId: s.staffId,
      areas: [...s.areas].sort(),
      reason,
      dueSince: dueStateOf(s).nextDue as string,
      ...(s.firstUse ? { firstUse: s.firstUse } : {}),
      ...(s.lastReminder ? { lastReminder: s.lastReminder } : {}),
    };
    if (reason === 'first-use-missing') list.firstUseMissing.push(entry);
    else if (reason === 'reminder-overdue') list.reminderOverdue.push(entry);
    else list.reminderDueSoon.push(entry);
  }
  return list;
};

/** Refuses a notice the policy would not count; the date must be a real day, not in the future. */
export const checkNotice = (
  n: Pick<StaffNotice, 'kind' | 'date' | 'checklist' | 'staffId' | 'toldBy'>,
  today: string,
): void => {
  const parsed = new Date(`${n.date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || dayOf(parsed) !== n.date) {
    throw new ValidationError('body.date', 'a real calendar day as YYYY-MM-DD');
  }
  if (n.date > today) throw new ValidationError('body.date', `not after today (${today})`);
  if (n.kind === 'frequent-caller-informed') return;
  const missing = CHECKLIST_ITEMS.filter((item) => !n.checklist[item]);
  if (missing.length > 0) {
    throw new PolicyRefusalError(
      missing.includes('businessCallsOnly') && missing.length === 1
        ? 's4.f-business-calls-only'
        : 's4.c-told-why',
      `a ${n.kind} notice must cover everything s.4 asks; not yet told: ${missing.map((m) => CHECKLIST_CLAUSE[m]).join('; ')}`,
    );
  }
};

/** The staff record after a notice (pure; the store applies the same change atomically). */
export const applyNotice = (s: StaffRecord, n: Pick<StaffNotice, 'kind' | 'date'>): StaffRecord => {
  if (n.kind === 'frequent-caller-informed') {
    const prev = s.frequentCallerInformed;
    return { ...s, frequentCallerInformed: prev && prev > n.date ? prev : n.date };
  }
  const firstUse = n.kind === 'first-use' && (!s.firstUse || n.date < s.firstUse) ? n.date : s.firstUse;
  const lastReminder = !s.lastReminder || n.date > s.lastReminder ? n.date : s.lastReminder;
  // An annual reminder given to someone with no recorded first-use notice still told them everything
  // s.4 asks; count it as their first notice so they do not stay "first-use missing" forever.
  return { ...s, firstUse: firstUse ?? n.date, lastReminder };
};

/** s.4 a: who reads the due list — managers and heads of service for their areas, the registrar and IG for all. */
export const DUE_LIST_AREA_READERS = ['manager', 'head-of-service'] as const;
export const DUE_LIST_CORPORATE_READERS = ['registrar', 'ig-officer'] as const;
