/**
 * The approver matrix, exhaustive over every role × destination kind × same/other service area,
 * checked against one table transcribed from the policy text (s.6), not from the code under test.
 */
import { type Destination, mayApproveRelease } from '../../../functions/domain/approvers.js';
import {
  AREA_GRANTS,
  type AreaGrant,
  CORPORATE_ROLES,
  type CorporateRole,
  type Principal,
} from '../../../functions/domain/roles.js';

// Policy s.6: "Call recordings may be used outside of the Service Area ... with the permission of one of
// the following: Manager of service area (nominated by Head of Service); Senior Information Risk
// Officer (SIRO); Internal Audit Manager; Head of Service; Head of Legal Services / Monitoring Officer;
// Director of Corporate Services; Chief Executive."
// "... release the recording of a call to an external agency ... only ... with the permission of one of
// the following: SIRO; Monitoring Officer; Director of Corporate Services; Chief Executive."
// Manager and Head of Service act for *their* service area: the one the recording belongs to.
const POLICY_S6: Record<Destination['kind'], { role: AreaGrant | CorporateRole; ownAreaOnly: boolean }[]> = {
  'service-area': [
    { role: 'manager', ownAreaOnly: true },
    { role: 'siro', ownAreaOnly: false },
    { role: 'internal-audit-manager', ownAreaOnly: false },
    { role: 'head-of-service', ownAreaOnly: true },
    { role: 'monitoring-officer', ownAreaOnly: false },
    { role: 'director-corporate-services', ownAreaOnly: false },
    { role: 'chief-executive', ownAreaOnly: false },
  ],
  'external-agency': [
    { role: 'siro', ownAreaOnly: false },
    { role: 'monitoring-officer', ownAreaOnly: false },
    { role: 'director-corporate-services', ownAreaOnly: false },
    { role: 'chief-executive', ownAreaOnly: false },
  ],
};

const RECORDING_AREA = 'revenues';
const OTHER_AREA = 'housing';
const ROLES = [...AREA_GRANTS, ...CORPORATE_ROLES] as const;
const isAreaGrant = (r: string): r is AreaGrant => (AREA_GRANTS as readonly string[]).includes(r);

const officer = (role: AreaGrant | CorporateRole, area: string, staffId = 'approver-1'): Principal =>
  isAreaGrant(role)
    ? { staffId, grants: { [area]: [role] }, roles: [], scopes: [] }
    : // A corporate officer also belongs to some service area; it must make no difference.
      { staffId, grants: { [area]: ['listener'] }, roles: [role], scopes: [] };

const DESTINATIONS: Record<Destination['kind'], Destination> = {
  'service-area': { kind: 'service-area', serviceArea: 'social-care' },
  'external-agency': { kind: 'external-agency', agency: 'Police', igAdviceRef: 'IG-2026-041' },
};

const expected = (kind: Destination['kind'], role: string, sameArea: boolean): boolean =>
  POLICY_S6[kind].some((e) => e.role === role && (!e.ownAreaOnly || sameArea));

const cases = ROLES.flatMap((role) =>
  (['service-area', 'external-agency'] as const).flatMap((kind) =>
    [true, false].map((sameArea) => ({
      role,
      kind,
      sameArea,
      area: sameArea ? "the recording's" : 'another',
      allowed: expected(kind, role, sameArea),
    })),
  ),
);

describe('release approver matrix (policy s.6)', () => {
  it('covers every role, destination kind and area relation', () => {
    expect(cases).toHaveLength(ROLES.length * 2 * 2);
    expect(cases.filter((c) => c.allowed).length).toBe(2 + 5 * 2 + 4 * 2 + 0);
  });

  it.each(cases)(
    '$role of $area area approving $kind release → allowed: $allowed',
    ({ role, kind, sameArea, allowed }) => {
      // Arrange
      const approver = officer(role, sameArea ? RECORDING_AREA : OTHER_AREA);
      // Act
      const decision = mayApproveRelease({
        approver,
        requesterId: 'requester-1',
        recordingServiceArea: RECORDING_AREA,
        destination: DESTINATIONS[kind],
      });
      // Assert
      expect(decision.allowed).toBe(allowed);
      if (!decision.allowed) expect(decision.reason).toMatch(/only/);
    },
  );

  it.each(cases.filter((c) => c.allowed))(
    'refuses self-approval by a $role ($kind)',
    ({ role, kind, sameArea }) => {
      // Arrange
      const approver = officer(role, sameArea ? RECORDING_AREA : OTHER_AREA, 'same-person');
      // Act
      const decision = mayApproveRelease({
        approver,
        requesterId: 'same-person',
        recordingServiceArea: RECORDING_AREA,
        destination: DESTINATIONS[kind],
      });
      // Assert
      expect(decision).toEqual({
        allowed: false,
        rule: 's6.no-self-approval',
        reason: 'the requester cannot approve their own request',
      });
    },
  );

  it.each(POLICY_S6['external-agency'])(
    'refuses external release without IG advice even for $role',
    ({ role }) => {
      // Act
      const decision = mayApproveRelease({
        approver: officer(role, RECORDING_AREA),
        requesterId: 'requester-1',
        recordingServiceArea: RECORDING_AREA,
        destination: { kind: 'external-agency', agency: 'Police' },
      });
      // Assert
      expect(decision).toMatchObject({ allowed: false, rule: 's6.external-needs-ig-advice' });
    },
  );

  it('refuses an officer with no grant or role at all', () => {
    const decision = mayApproveRelease({
      approver: { staffId: 'x', grants: {}, roles: [], scopes: [] },
      requesterId: 'requester-1',
      recordingServiceArea: RECORDING_AREA,
      destination: DESTINATIONS['service-area'],
    });
    expect(decision.allowed).toBe(false);
  });
});
