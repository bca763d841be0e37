/**
 * The staff-notice routes and the weekly job over in-memory port fakes (./fakes.ts). The store
 * conditions the fakes assume are proved against DynamoDB Local in test/integration/stores.test.ts.
 */
import { dayOf } from '../../../functions/domain/days.js';
import { principalFrom } from '../../../functions/domain/roles.js';
import { registersRoutes } from '../../../functions/registers/routes.js';
import { staffNoticesDue } from '../../../functions/staff-notices/due.js';
import { recordStaffNotice } from '../../../functions/staff-notices/record-notice.js';
import { staffRemindersJob } from '../../../functions/staff-notices/reminders-job.js';
import { registersWorld } from '../registers/fakes.js';
import { invoke } from '../support/http.js';
import { type StaffNoticesWorld, staffNoticesWorld } from './fakes.js';

const ALL = { purpose: true, uses: true, retention: true, businessCallsOnly: true };
const today = dayOf(new Date());
const REGISTRAR = { staffId: 'reg-1', groups: ['role:registrar'] };
const REVENUES_MANAGER = { staffId: 'mgr-rev', groups: ['area:revenues:manager'] };
const HOUSING_MANAGER = { staffId: 'mgr-hou', groups: ['area:housing:manager'] };

const notice = (over: Record<string, unknown> = {}) => ({
  staffId: 'agent-7',
  kind: 'first-use',
  date: today,
  toldBy: 'mgr-rev',
  checklist: ALL,
  ...over,
});

let world: StaffNoticesWorld;
let handler: ReturnType<typeof registersRoutes>;

/** A fresh register (its clock `now`) behind the registers function's routes. */
const fresh = (now?: () => Date) => {
  world = staffNoticesWorld(now ? { now } : {});
  handler = registersRoutes(registersWorld().deps, world.deps);
};
beforeEach(() => fresh());

/** The member of staff as the register knows them once seen in `area` (ingest or a playback). */
const seen = (staffId: string, area: string, day: string) =>
  world.seed({ staffId, areas: [area], firstSeen: day });

describe('POST /staff-notices', () => {
  it('records a first-use notice by the registrar and moves the next due date 12 months on', async () => {
    // Arrange
    seen('agent-7', 'revenues', today);
    // Act
    const reply = await invoke(handler, 'POST /staff-notices', { ...REGISTRAR, body: notice() });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({
      created: true,
      notice: { staffId: 'agent-7', kind: 'first-use', recordedBy: 'reg-1' },
      staff: { areas: ['revenues'], firstUse: today, dueKind: 'annual-reminder' },
    });
    expect((reply.json.staff as { nextDue: string }).nextDue > today).toBe(true);
  });

  it('lets a manager of a service area the staff member works in record the notice', async () => {
    seen('agent-7', 'revenues', today);
    const reply = await invoke(handler, 'POST /staff-notices', { ...REVENUES_MANAGER, body: notice() });
    expect(reply.status).toBe(201);
  });

  it('refuses a manager of another service area with 403', async () => {
    seen('agent-7', 'revenues', today);
    const reply = await invoke(handler, 'POST /staff-notices', { ...HOUSING_MANAGER, body: notice() });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 's4.notice-recorders' });
    expect(world.notices.size).toBe(0);
  });

  it('lets a manager add a new starter to their own area with the first-use notice', async () => {
    const reply = await invoke(handler, 'POST /staff-notices', {
      ...HOUSING_MANAGER,
      body: notice({ staffId: 'new-starter', serviceArea: 'housing' }),
    });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ staff: { staffId: 'new-starter', areas: ['housing'] } });
  });

  it("refuses a manager adding another area's staff to their own area (issue 11 item 12)", async () => {
    // Arrange
    seen('agent-7', 'revenues', today);
    // Act
    const reply = await invoke(handler, 'POST /staff-notices', {
      ...HOUSING_MANAGER,
      body: notice({ serviceArea: 'housing', toldBy: 'mgr-hou' }),
    });
    // Assert
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ rule: 's4.notice-recorders' });
    expect(String(reply.json.message)).toMatch(/agent-7 works in revenues/);
    expect(world.notices.size).toBe(0);
    const due = await invoke(handler, 'GET /staff-notices/due', { ...HOUSING_MANAGER });
    expect(JSON.stringify(due.json)).not.toContain('agent-7');
  });

  it("lets a manager record that another area's frequent caller was informed, without adding them", async () => {
    // Arrange
    seen('agent-7', 'revenues', today);
    // Act
    const reply = await invoke(handler, 'POST /staff-notices', {
      ...HOUSING_MANAGER,
      body: notice({ kind: 'frequent-caller-informed', serviceArea: 'housing', toldBy: 'mgr-hou' }),
    });
    // Assert
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ staff: { staffId: 'agent-7', areas: ['revenues'] } });
  });

  it('records the notice once when a concurrent writer changes the register first', async () => {
    // Arrange
    seen('agent-7', 'revenues', today);
    world.conflicts = 2;
    // Act
    const reply = await invoke(handler, 'POST /staff-notices', { ...REGISTRAR, body: notice() });
    // Assert
    expect(reply.status).toBe(201);
    expect(world.notices.size).toBe(1);
    expect(world.staff.get('agent-7')).toMatchObject({ areas: ['revenues'], firstUse: today });
  });

  it('refuses a first-use notice that did not cover the retention policy with 422 and the s.4 reason', async () => {
    const reply = await invoke(handler, 'POST /staff-notices', {
      ...REGISTRAR,
      body: notice({ checklist: { ...ALL, retention: false } }),
    });
    expect(reply.status).toBe(422);
    expect(reply.json).toMatchObject({ rule: 's4.c-told-why' });
    expect(String(reply.json.message)).toMatch(/retention policy/);
  });

  it('refuses an unknown kind with 400 naming body.kind', async () => {
    const reply = await invoke(handler, 'POST /staff-notices', {
      ...REGISTRAR,
      body: notice({ kind: 'chat' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ field: 'body.kind' });
  });

  it('accepts the same notice twice as one, and refuses a different one for the same day and kind with 409', async () => {
    // Arrange
    await invoke(handler, 'POST /staff-notices', { ...REGISTRAR, body: notice() });
    // Act
    const same = await invoke(handler, 'POST /staff-notices', { ...REGISTRAR, body: notice() });
    const other = await invoke(handler, 'POST /staff-notices', {
      ...REGISTRAR,
      body: notice({ toldBy: 'someone-else' }),
    });
    // Assert
    expect(same.status).toBe(200);
    expect(same.json).toMatchObject({ created: false });
    expect(other.status).toBe(409);
  });
});

describe('GET /staff-notices/due and the weekly job', () => {
  const NOW = new Date('2026-11-28T09:00:00Z');
  const registrar = principalFrom('reg-1', ['role:registrar'], []);
  const record = (
    staffId: string,
    kind: 'first-use' | 'annual-reminder',
    date: string,
    serviceArea?: string,
  ) =>
    recordStaffNotice(world.deps, registrar, {
      staffId,
      kind,
      date,
      toldBy: 'reg-1',
      checklist: ALL,
      ...(serviceArea ? { serviceArea } : {}),
    });

  /** Known answer: never-told (first use missing), overdue, due in 20 days; told-recently and due-in-40 are not due. */
  beforeEach(() => fresh(() => NOW));

  const seed = async () => {
    seen('never-told', 'revenues', '2026-10-01');
    await record('overdue', 'first-use', '2025-10-01', 'revenues');
    await record('due-in-20', 'first-use', '2025-12-18', 'housing');
    await record('told-recently', 'first-use', '2026-11-01', 'revenues');
    await record('due-in-40', 'first-use', '2025-12-01', 'revenues');
    await record('due-in-40', 'annual-reminder', '2026-01-07', 'revenues');
  };

  it('lists, for the registrar, every area: first use missing, reminder overdue, and due within 30 days', async () => {
    // Arrange
    await seed();
    // Act
    const list = await staffNoticesDue(world.deps, registrar, {});
    // Assert
    expect(list.firstUseMissing.map((s) => s.staffId)).toEqual(['never-told']);
    expect(list.reminderOverdue.map((s) => [s.staffId, s.dueSince])).toEqual([['overdue', '2026-10-01']]);
    expect(list.reminderDueSoon.map((s) => [s.staffId, s.dueSince])).toEqual([['due-in-20', '2026-12-18']]);
    // One read of the whole register's due list, up to 30 days ahead.
    expect(world.dueReads).toEqual([['2026-12-28', undefined]]);
  });

  it("gives a manager only their own area's staff", async () => {
    await seed();
    const manager = principalFrom('mgr-hou', ['area:housing:manager'], []);
    const list = await staffNoticesDue(world.deps, manager, {});
    expect(list.serviceAreas).toEqual(['housing']);
    expect(
      [...list.firstUseMissing, ...list.reminderOverdue, ...list.reminderDueSoon].map((s) => s.staffId),
    ).toEqual(['due-in-20']);
  });

  it("refuses a manager asking for another area's list with 403", async () => {
    const reply = await invoke(handler, 'GET /staff-notices/due', {
      ...HOUSING_MANAGER,
      query: { serviceArea: 'revenues' },
    });
    expect(reply.status).toBe(403);
  });

  it('refuses a listener with 403', async () => {
    const reply = await invoke(handler, 'GET /staff-notices/due', {
      staffId: 'l1',
      groups: ['area:revenues:listener'],
    });
    expect(reply.status).toBe(403);
  });

  it('publishes the due list to the staff-notices topic', async () => {
    // Arrange
    await seed();
    // Act
    const result = await staffRemindersJob(world.jobDeps);
    // Assert
    expect(result).toMatchObject({
      due: 3,
      firstUseMissing: 1,
      reminderOverdue: 1,
      reminderDueSoon: 1,
      messages: 1,
    });
    expect(world.published.map((p) => p.subject)).toEqual(['Staff recording notices due: 3']);
    const message = String(world.published[0]?.message);
    expect(message).toMatch(/- never-told \(revenues\): no first-use notice recorded, due 2026-10-01/);
    expect(message).toMatch(/- overdue \(revenues\): 12-monthly reminder overdue/);
    expect(message).toMatch(
      /- due-in-20 \(housing\): 12-monthly reminder due within 30 days, due 2026-12-18/,
    );
    expect(message).not.toMatch(/told-recently|due-in-40/);
  });

  it('publishes nothing in a week when nobody is due', async () => {
    await record('told-recently', 'first-use', '2026-11-01', 'revenues');
    const result = await staffRemindersJob(world.jobDeps);
    expect(result.due).toBe(0);
    expect(world.published).toEqual([]);
  });

  it('splits a long list so each message stays under the SNS size limit', async () => {
    // Arrange: 3,000 staff never told
    for (let i = 0; i < 3000; i += 1)
      seen(`staff-${String(i).padStart(5, '0')}-with-a-long-id`, 'revenues', '2026-10-01');
    // Act
    const result = await staffRemindersJob(world.jobDeps);
    // Assert
    const messages = world.published.map((p) => p.message);
    expect(world.published.map((p) => p.subject)).toContain(
      `Staff recording notices due: 3000 (part 1 of ${messages.length})`,
    );
    expect(result.due).toBe(3000);
    expect(messages.length).toBeGreaterThan(1);
    expect(result.messages).toBe(messages.length);
    for (const m of messages) expect(Buffer.byteLength(m)).toBeLessThan(256 * 1024);
    expect(messages.join('\n').match(/no first-use notice recorded/g)).toHaveLength(3000);
  });
});
