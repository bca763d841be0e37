/**
 * Policy s.4: the list of staff whose recording notice is due is read by the registrar and IG officers
 * (any area) and by a service area's manager or head of service (their own areas). Everyone else is
 * refused with the rule before the staff register is read.
 */
import { AREA_GRANTS, CORPORATE_ROLES, principalFrom } from '../../../functions/domain/roles.js';
import type { StaffRecord } from '../../../functions/domain/staff-notices.js';
import { staffNoticesDue } from '../../../functions/staff-notices/due.js';
import { staffNoticesWorld } from './fakes.js';

const NOW = new Date('2026-11-28T08:00:00.000Z');
const STAFF: StaffRecord[] = [
  { staffId: 'agent-r', areas: ['revenues'], firstSeen: '2026-10-01' },
  { staffId: 'agent-h', areas: ['housing'], firstSeen: '2026-10-01' },
];

/** The staff register holding STAFF: records the areas it was asked for. */
const due = async (groups: string[], serviceArea: string | undefined) => {
  const world = staffNoticesWorld({ now: () => NOW });
  for (const s of STAFF) world.seed(s);
  const asked = () => world.dueReads.map(([, area]) => area);
  try {
    const list = await staffNoticesDue(world.deps, principalFrom('p1', groups, []), { serviceArea });
    return { asked: asked(), listed: list.firstUseMissing.map((s) => s.staffId), rule: undefined };
  } catch (error) {
    return { asked: asked(), listed: [], rule: (error as { rule?: string }).rule };
  }
};

describe('staff notice due list readers (policy s.4)', () => {
  it.each([
    ...CORPORATE_ROLES.filter((r) => r !== 'registrar' && r !== 'ig-officer').map((r) => [`role:${r}`]),
    ['area:revenues:listener'],
    ['area:revenues:nominated'],
  ])('refuses %s, for all areas and for one, reading nothing (s4.due-list-readers)', async (group) => {
    // Act
    const all = await due([group], undefined);
    const one = await due([group], 'revenues');
    // Assert
    expect([all.rule, one.rule]).toEqual(['s4.due-list-readers', 's4.due-list-readers']);
    expect([...all.asked, ...one.asked]).toEqual([]);
  });

  it.each(['manager', 'head-of-service'])('refuses a %s the list of another area', async (grant) => {
    // Act
    const other = await due([`area:housing:${grant}`], 'revenues');
    const own = await due([`area:housing:${grant}`], 'housing');
    const theirs = await due([`area:housing:${grant}`], undefined);
    // Assert
    expect(other).toEqual({ asked: [], listed: [], rule: 's4.due-list-readers' });
    expect(own).toEqual({ asked: ['housing'], listed: ['agent-h'], rule: undefined });
    expect(theirs).toEqual({ asked: ['housing'], listed: ['agent-h'], rule: undefined });
  });

  it.each(['registrar', 'ig-officer'])('gives the %s every area, or any one area', async (role) => {
    // Act
    const all = await due([`role:${role}`], undefined);
    const one = await due([`role:${role}`], 'revenues');
    // Assert
    expect(all).toEqual({ asked: [undefined], listed: ['agent-h', 'agent-r'], rule: undefined });
    expect(one).toEqual({ asked: ['revenues'], listed: ['agent-r'], rule: undefined });
  });

  it('covers every area grant above', () => {
    expect([...AREA_GRANTS].sort()).toEqual(['head-of-service', 'listener', 'manager', 'nominated']);
  });
});
