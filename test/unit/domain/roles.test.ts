/**
 * Who holds what under s.6, as functions/domain/roles.ts reads it from the groups a token carries and the
 * claim mappings an issuer is configured with: a malformed or unknown group grants nothing, a group sent
 * twice grants once. Mutation testing (docs/mutation-survivors.md) found these unguarded.
 */
import { areasWith, isMappingTarget, principalFrom } from '../../../functions/domain/roles.js';
import { describeSchedule2 } from '../../../functions/domain/schedule2.js';

describe('a principal from the groups a token carries (s.6)', () => {
  it.each([
    ['an area group with no grant', 'area:revenues'],
    ['an area group with an empty area', 'area::listener'],
    ['an area group with an unknown grant', 'area:revenues:superuser'],
    ['a group of an unknown kind shaped like an area grant', 'zone:revenues:listener'],
    ['a role group carrying an area grant', 'role:siro:listener'],
    ['a role group with an extra part', 'role:siro:deputy'],
    ['an unknown role', 'role:king'],
    ['an empty role', 'role:'],
    ['a group of an unknown kind naming a role', 'zone:siro'],
  ])('grants nothing for %s (%s)', (_what, group) => {
    // Act
    const p = principalFrom('s1', [group], []);
    // Assert
    expect(p).toEqual({ staffId: 's1', grants: {}, roles: [], scopes: [] });
  });

  it('grants each area grant and role once, however often the token repeats it', () => {
    // Act
    const p = principalFrom(
      's1',
      [
        'area:revenues:listener',
        'area:revenues:listener',
        'area:revenues:nominated',
        'role:siro',
        'role:siro',
      ],
      ['crs/staff'],
    );
    // Assert
    expect(p).toEqual({
      staffId: 's1',
      grants: { revenues: ['listener', 'nominated'] },
      roles: ['siro'],
      scopes: ['crs/staff'],
    });
  });

  it('lists the areas where any of the asked grants is held, and no other', () => {
    // Arrange
    const p = principalFrom(
      's1',
      ['area:revenues:listener', 'area:housing:manager', 'area:parking:head-of-service'],
      [],
    );
    // Act
    const areas = areasWith(p, ['manager', 'head-of-service']);
    // Assert
    expect(areas.sort()).toEqual(['housing', 'parking']);
  });

  it('lists an area where only one of the grants held there is asked for', () => {
    // Arrange: a listener who also manages Revenues
    const p = principalFrom('s1', ['area:revenues:listener', 'area:revenues:manager'], []);
    // Act
    const areas = areasWith(p, ['manager']);
    // Assert
    expect(areas).toEqual(['revenues']);
  });
});

describe('what a claim mapping may grant (s.6, issuers that send group ids)', () => {
  it.each([
    'area:revenues:listener',
    'area:adult-care:head-of-service',
    'role:siro',
    'role:ig-officer',
    'scope:crs/ingest',
    'scope:crs/staff',
  ])('accepts %s', (target) => {
    expect(isMappingTarget(target)).toBe(true);
  });

  it.each([
    ['an extra part', 'area:revenues:listener:extra'],
    ['an empty area', 'area::listener'],
    ['no grant', 'area:revenues'],
    ['an unknown grant', 'area:revenues:superuser'],
    ['an area id in capitals', 'area:Revenues:listener'],
    ['a role with a second part', 'role:siro:deputy'],
    ['an unknown role', 'role:king'],
    ['a scope with a second part', 'scope:crs/ingest:x'],
    ['a scope the API does not know', 'scope:crs/admin'],
    ['an unknown kind', 'group:revenues'],
    ['an unknown kind naming a scope', 'zone:crs/staff'],
    ['nothing after the kind', 'role'],
  ])('refuses %s (%s)', (_what, target) => {
    expect(isMappingTarget(target)).toBe(false);
  });
});

describe('a Schedule 2 request on the Release of Recording Log (s.6)', () => {
  it('names the basis, the reference, the authorising officer, whether the subject may be told and the delivery', () => {
    // Arrange
    const request = {
      authorisingOfficer: { name: 'A. Jones', rank: 'Inspector' },
      statutoryBasis: 'sch2-part1-para2' as const,
      reference: 'CR/123/26',
      whyNeeded: 'assault on staff',
      prejudiceWithout: 'the investigation could not proceed',
      dataSubjectMayBeTold: false,
      deliveryMethod: 'secure-link' as const,
    };
    // Act
    const told = describeSchedule2({ ...request, dataSubjectMayBeTold: true });
    const notTold = describeSchedule2(request);
    // Assert
    expect(notTold).toBe(
      'sch2-part1-para2 ref CR/123/26; authorised by Inspector A. Jones; subject may be told: no; delivery: secure-link',
    );
    expect(told).toContain('subject may be told: yes');
  });
});
