import fc from 'fast-check';
import { ACCESS_ACTIONS, decideAccess, searchableAreas } from '../../../functions/domain/access.js';
import { AREA_GRANTS, CORPORATE_ROLES, principalFrom } from '../../../functions/domain/roles.js';
import { AREA, claimsOf, OTHER_AREA, policyRows, TABLE_ACTIONS } from './access-policy-table.js';

const principalOf = (holder: string) => {
  const { groups, scope } = claimsOf(holder);
  return principalFrom('staff-1', groups, scope ? [scope] : []);
};

describe('access decision table (policy s.6)', () => {
  it('covers every grant, every corporate role and every action', () => {
    // Arrange
    const holders = policyRows().map((r) => r.holder);
    // Assert
    expect(holders).toEqual(
      expect.arrayContaining([
        ...AREA_GRANTS.map((g) => `area:${g}`),
        ...CORPORATE_ROLES.map((r) => `role:${r}`),
      ]),
    );
    expect([...TABLE_ACTIONS].sort()).toEqual([...ACCESS_ACTIONS].sort());
  });

  it('agrees with the policy table for every holder × action × same / other service area', () => {
    // Arrange
    const disagreements: string[] = [];
    let checked = 0;
    // Act
    for (const row of policyRows()) {
      const principal = principalOf(row.holder);
      for (const action of TABLE_ACTIONS) {
        for (const [where, area, expected] of [
          ['same', AREA, row.same[action]],
          ['other', OTHER_AREA, row.other[action]],
        ] as const) {
          checked += 1;
          const decision = decideAccess(principal, action, area);
          if (decision.allowed !== expected) {
            disagreements.push(
              `${row.holder} ${action} ${where}: policy ${expected}, code ${decision.allowed}`,
            );
          }
        }
      }
    }
    // Assert
    expect(checked).toBe(policyRows().length * TABLE_ACTIONS.length * 2);
    expect(disagreements).toEqual([]);
  });

  it('names the rule it applied, allowed or refused, and says why when refused', () => {
    for (const action of ACCESS_ACTIONS) {
      const refused = decideAccess(principalOf('nobody'), action, AREA);
      expect(refused).toMatchObject({
        allowed: false,
        rule: expect.stringMatching(/^s6\./),
        reason: expect.any(String),
      });
    }
    expect(decideAccess(principalOf('area:nominated'), 'delete', AREA)).toEqual({
      allowed: true,
      rule: 's6.nominated-staff-only',
    });
  });

  it('grants with several holdings exactly what one of the holdings grants (no combination adds a right)', () => {
    const rows = policyRows();
    fc.assert(
      fc.property(
        fc.subarray(rows, { minLength: 1 }),
        fc.constantFrom(...TABLE_ACTIONS),
        fc.boolean(),
        (held, action, same) => {
          const groups = held.flatMap((r) => claimsOf(r.holder).groups);
          const scopes = held.flatMap((r) => claimsOf(r.holder).scope ?? []);
          const decision = decideAccess(principalFrom('s', groups, scopes), action, same ? AREA : OTHER_AREA);
          const expected = held.some((r) => (same ? r.same : r.other)[action]);
          expect(decision.allowed).toBe(expected);
        },
      ),
    );
  });

  it('lets a principal search only the areas where they listen or are nominated', () => {
    const p = principalFrom('s', ['area:a:listener', 'area:b:nominated', 'area:c:manager', 'role:siro'], []);
    expect(searchableAreas(p)).toEqual(['a', 'b']);
  });

  it('refuses an area action when no area is known', () => {
    expect(decideAccess(principalOf('area:nominated'), 'playback', undefined).allowed).toBe(false);
  });
});
