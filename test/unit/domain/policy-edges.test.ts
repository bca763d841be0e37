/**
 * Edges of the s.6 decisions that mutation testing found unguarded (docs/mutation-survivors.md): an area
 * action asked without an area, the order of searchable areas, and the external release refusals' rule
 * and reason as the domain gives them.
 */
import { decideAccess, searchableAreas } from '../../../functions/domain/access.js';
import { mayApproveRelease } from '../../../functions/domain/approvers.js';
import { principalFrom } from '../../../functions/domain/roles.js';

describe('s.6 decisions at their edges', () => {
  it('refuses an area action asked without a service area, whatever area the grants name', () => {
    // Arrange: "undefined" is a well-formed area id, so a grant can name it.
    const p = principalFrom('s1', ['area:undefined:nominated', 'area:revenues:nominated'], []);
    // Act
    const decisions = (['search', 'playback', 'delete'] as const).map((a) => decideAccess(p, a, undefined));
    // Assert
    expect(decisions.map((d) => d.allowed)).toEqual([false, false, false]);
  });

  it('lists the searchable areas in order, whatever order the grants came in', () => {
    // Arrange
    const p = principalFrom(
      's1',
      ['area:revenues:listener', 'area:housing:nominated', 'area:adult-care:listener'],
      [],
    );
    // Act
    const areas = searchableAreas(p);
    // Assert
    expect(areas).toEqual(['adult-care', 'housing', 'revenues']);
  });

  it('refuses an external release approved by anyone but the four officers, naming s6.external-approvers', () => {
    // Arrange
    const destination = { kind: 'external-agency' as const, agency: 'Police', igAdviceRef: 'IG-1' };
    const ask = (groups: string[]) =>
      mayApproveRelease({
        approver: principalFrom('a1', groups, []),
        requesterId: 'r1',
        recordingServiceArea: 'revenues',
        destination,
      });
    // Act
    const manager = ask([
      'area:revenues:manager',
      'area:revenues:head-of-service',
      'role:internal-audit-manager',
    ]);
    const siro = ask(['role:siro']);
    // Assert
    expect(manager).toEqual({
      allowed: false,
      rule: 's6.external-approvers',
      reason: expect.stringContaining(
        'SIRO, Monitoring Officer, Director of Corporate Services or Chief Executive',
      ),
    });
    expect(siro).toEqual({ allowed: true });
  });

  it('refuses an external release without IG advice, saying so', () => {
    // Act
    const decision = mayApproveRelease({
      approver: principalFrom('a1', ['role:siro'], []),
      requesterId: 'r1',
      recordingServiceArea: 'revenues',
      destination: { kind: 'external-agency', agency: 'Police' },
    });
    // Assert
    expect(decision).toEqual({
      allowed: false,
      rule: 's6.external-needs-ig-advice',
      reason: expect.stringContaining('IG advice'),
    });
  });
});
