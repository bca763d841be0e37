/** What the staff-notice use cases need from storage and messaging; the defaults are the real adapters. */

import { publishStaffNotices } from '../adapters/staff-notices-topic.js';
import {
  getStaff,
  listStaffDueBy,
  type NoticeWrite,
  noteStaffInArea,
  putNotice,
  updateStaff,
} from '../adapters/staff-register.js';
import type { StaffNotice, StaffRecord } from '../domain/staff-notices.js';

export interface StaffNoticePorts {
  getStaff(staffId: string): Promise<{ record: StaffRecord }>;
  updateStaff(staffId: string, change: (s: StaffRecord) => StaffRecord | undefined): Promise<StaffRecord>;
  putNotice(n: StaffNotice): Promise<{ result: NoticeWrite; stored: StaffNotice }>;
  listStaffDueBy(horizon: string, area?: string): Promise<StaffRecord[]>;
  noteStaffInArea(staffId: string, area: string, day: string): Promise<StaffRecord>;
  publish(subject: string, message: string): Promise<string | undefined>;
}

export const defaultPorts: StaffNoticePorts = {
  getStaff,
  updateStaff,
  putNotice,
  listStaffDueBy,
  noteStaffInArea,
  publish: publishStaffNotices,
};
