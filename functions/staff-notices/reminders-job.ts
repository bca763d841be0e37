/**
 * Weekly job `staff-reminders`: publishes the due list (all areas) to the staff-notices topic for its
 * email subscribers. Nothing is published in a week when nobody is due. A long list is split so each
 * message stays under the SNS size limit.
 */
import { dayOf } from '../domain/days.js';
import { type DueEntry, dueHorizon, dueList } from '../domain/staff-notices.js';
import type { StaffRemindersDeps } from '../ports/staff-notices.js';

const REASON_TEXT: Record<DueEntry['reason'], string> = {
  'first-use-missing': 'no first-use notice recorded',
  'reminder-overdue': '12-monthly reminder overdue',
  'reminder-due-soon': '12-monthly reminder due within 30 days',
};

const line = (e: DueEntry): string =>
  `- ${e.staffId} (${e.areas.join(', ') || 'no service area'}): ${REASON_TEXT[e.reason]}, due ${e.dueSince}`;

export interface StaffRemindersResult {
  readonly asOf: string;
  readonly due: number;
  readonly firstUseMissing: number;
  readonly reminderOverdue: number;
  readonly reminderDueSoon: number;
  readonly messages: number;
}

export const staffRemindersJob = async (deps: StaffRemindersDeps): Promise<StaffRemindersResult> => {
  const today = dayOf(deps.now());
  const list = dueList(await deps.register.dueBy(dueHorizon(today)), today);
  const entries = [...list.firstUseMissing, ...list.reminderOverdue, ...list.reminderDueSoon];
  const header = [
    `Call recording policy s.4: staff awareness notices due as of ${today}.`,
    `${list.firstUseMissing.length} without a first-use notice, ${list.reminderOverdue.length} with the 12-monthly reminder overdue, ${list.reminderDueSoon.length} due by ${list.horizon}.`,
    'Record each notice with POST /staff-notices once given.',
    '',
  ];
  const bodies: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const text of entries.map(line)) {
    if (size + text.length + 1 > deps.topic.maxMessageBytes - 2000 && current.length > 0) {
      bodies.push(current);
      current = [];
      size = 0;
    }
    current.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  if (current.length > 0) bodies.push(current);
  for (const [i, body] of bodies.entries()) {
    const part = bodies.length > 1 ? ` (part ${i + 1} of ${bodies.length})` : '';
    await deps.topic.publish(
      `Staff recording notices due: ${entries.length}${part}`,
      [...header, ...body, ''].join('\n'),
    );
  }
  return {
    asOf: today,
    due: entries.length,
    firstUseMissing: list.firstUseMissing.length,
    reminderOverdue: list.reminderOverdue.length,
    reminderDueSoon: list.reminderDueSoon.length,
    messages: bodies.length,
  };
};
