/**
 * What the staff-notice use cases (functions/staff-notices) need from the outside world.
 * functions/staff-notices/deps.ts builds them from the AWS adapters; unit tests pass in-memory fakes
 * (test/unit/staff-notices/fakes.ts). What the adapters send is proved against DynamoDB Local
 * (test/integration/stores.test.ts).
 */

import type { StaffNotice, StaffRecord } from '../domain/staff-notices.js';

/** How storing a notice went: new, already there with the same content, or there with other content. */
export type NoticeWrite = 'created' | 'same' | 'different';

/** The staff register (policy s.4, functions/adapters/staff-register.ts). */
export interface StaffRegister {
  /** The staff member's record; an unknown member is `{ staffId, areas: [] }`. */
  get(staffId: string): Promise<StaffRecord>;
  /**
   * Read, change, write: `change` gets the stored record and returns the next one, or undefined to write
   * nothing. A concurrent writer makes it read and change again. Answers the record as stored.
   */
  update(staffId: string, change: (current: StaffRecord) => StaffRecord | undefined): Promise<StaffRecord>;
  /**
   * Stores a notice once per staff member, day and kind. A repeat answers `same` (same teller and
   * checklist) or `different`, with the notice already stored, and writes nothing.
   */
  putNotice(notice: StaffNotice): Promise<{ result: NoticeWrite; stored: StaffNotice }>;
  /** Staff whose next notice is due on or before `horizon` (YYYY-MM-DD), all areas or one: one index read. */
  dueBy(horizon: string, area?: string): Promise<StaffRecord[]>;
}

/** The staff-notices topic its email subscribers read (functions/adapters/staff-notices-topic.ts). */
export interface StaffNoticesTopic {
  /** The largest message to publish, well under the topic's own limit. */
  readonly maxMessageBytes: number;
  publish(subject: string, message: string): Promise<string | undefined>;
}

/** The routes (POST /staff-notices, GET /staff-notices/due), served by the registers function. */
export interface StaffNoticesDeps {
  readonly register: StaffRegister;
  readonly now: () => Date;
}

/** The weekly `staff-reminders` job (sweepers function: the only one bound to the topic). */
export interface StaffRemindersDeps {
  readonly register: Pick<StaffRegister, 'dueBy'>;
  readonly topic: StaffNoticesTopic;
  readonly now: () => Date;
}
