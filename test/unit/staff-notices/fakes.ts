/**
 * In-memory stand-ins for the staff-notice ports (functions/ports/staff-notices.ts), with the adapters'
 * semantics: a notice is stored once per staff member, day and kind (a repeat is `same` or `different`
 * and writes nothing); an update reads, changes and writes the record, again when a concurrent writer got
 * there first; the due list holds staff whose next notice falls on or before the horizon, in the whole
 * register or in one area. What the DynamoDB and SNS adapters send is proved against the local stack
 * (test/integration/stores.test.ts, compliance.test.ts), not here.
 */
import { MAX_MESSAGE_BYTES } from '../../../functions/adapters/staff-notices-topic.js';
import {
  dueStateOf,
  type StaffNotice,
  type StaffRecord,
  sameNotice,
} from '../../../functions/domain/staff-notices.js';
import type { StaffNoticesDeps, StaffRemindersDeps } from '../../../functions/ports/staff-notices.js';

export interface StaffNoticesWorld {
  /** The routes' dependencies. */
  readonly deps: StaffNoticesDeps;
  /** The weekly job's dependencies (the same register, and the topic). */
  readonly jobDeps: StaffRemindersDeps;
  readonly staff: Map<string, StaffRecord>;
  /** Notices as stored, by `staffId#date#kind`. */
  readonly notices: Map<string, StaffNotice>;
  /** Messages published to the topic, in order. */
  readonly published: { subject: string; message: string }[];
  /** The due-list reads, as [horizon, area]. */
  readonly dueReads: [string, string | undefined][];
  /** Updates to lose to a concurrent writer before one lands (each loss re-reads and changes again). */
  conflicts: number;
  /** Adds a member of staff to the register as they are (a seed, not a use case). */
  seed(record: StaffRecord): void;
}

const noticeKey = (n: Pick<StaffNotice, 'staffId' | 'date' | 'kind'>) => `${n.staffId}#${n.date}#${n.kind}`;

export const staffNoticesWorld = (options: { now?: () => Date } = {}): StaffNoticesWorld => {
  const staff = new Map<string, StaffRecord>();
  const notices = new Map<string, StaffNotice>();
  const published: { subject: string; message: string }[] = [];
  const dueReads: [string, string | undefined][] = [];
  const now = options.now ?? (() => new Date());
  const read = (staffId: string): StaffRecord =>
    structuredClone(staff.get(staffId) ?? { staffId, areas: [] });
  const world: StaffNoticesWorld = {
    staff,
    notices,
    published,
    dueReads,
    conflicts: 0,
    seed: (record) => staff.set(record.staffId, structuredClone(record)),
    deps: {
      register: {
        get: async (staffId) => read(staffId),
        update: async (staffId, change) => {
          for (;;) {
            const next = change(read(staffId));
            if (!next) return read(staffId);
            if (world.conflicts > 0) {
              world.conflicts -= 1;
              continue;
            }
            staff.set(staffId, structuredClone({ ...next, areas: [...next.areas].sort() }));
            return next;
          }
        },
        putNotice: async (n) => {
          const stored = notices.get(noticeKey(n));
          if (!stored) {
            notices.set(noticeKey(n), structuredClone(n));
            return { result: 'created', stored: n };
          }
          return { result: sameNotice(stored, n) ? 'same' : 'different', stored: structuredClone(stored) };
        },
        dueBy: async (horizon, area) => {
          dueReads.push([horizon, area]);
          return [...staff.values()]
            .filter((s) => area === undefined || s.areas.includes(area))
            .filter((s) => {
              const { nextDue } = dueStateOf(s);
              return nextDue !== undefined && nextDue <= horizon;
            })
            .map((s) => structuredClone(s));
        },
      },
      now,
    },
    get jobDeps(): StaffRemindersDeps {
      return {
        register: world.deps.register,
        topic: {
          maxMessageBytes: MAX_MESSAGE_BYTES,
          publish: async (subject, message) => {
            published.push({ subject, message });
            return `m-${published.length}`;
          },
        },
        now,
      };
    },
  };
  return world;
};
