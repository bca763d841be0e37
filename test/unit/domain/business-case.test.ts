/**
 * Policy s.3 business cases (functions/domain/business-case.ts): what makes a case complete, who may
 * approve it, and that the Director's approval survives a resubmission only when nothing in the case
 * changed — however the stored copy happens to order its fields.
 */
import {
  approveBusinessCase,
  assessBusinessCase,
  type SubmittedCase,
  submitBusinessCase,
} from '../../../functions/domain/business-case.js';
import { ForbiddenError, PolicyRefusalError } from '../../../functions/domain/errors.js';
import type { Principal } from '../../../functions/domain/roles.js';

const CONFIRMED = { confirmedBy: 'officer-1', confirmedAt: '2026-11-01T09:00:00.000Z' };
const COMPLETE: SubmittedCase = {
  reason: 'Revenues disputes are settled on what was said',
  itSecurity: { ...CONFIRMED, pciDssCompliant: true },
  informationGovernance: { ...CONFIRMED, piaReference: 'PIA-2026-07' },
  hr: { ...CONFIRMED, staffConsulted: true },
  accessLevels: [
    { who: 'revenues-team-leaders', access: 'playback' },
    { who: 'revenues-managers', access: 'download' },
  ],
};
const director: Principal = {
  staffId: 'dir-1',
  grants: {},
  roles: ['director-corporate-services'],
  scopes: [],
};
const NOW = new Date('2026-11-02T10:00:00.000Z');
const approved = approveBusinessCase(COMPLETE, director, NOW);

const refusalOf = (act: () => unknown): unknown => {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('s.3 a business case is complete only with every part (a)–(e)', () => {
  it('counts a reason or a confirmer of only spaces as missing', () => {
    // Act
    const { missing } = assessBusinessCase({
      ...COMPLETE,
      reason: '   ',
      itSecurity: { ...CONFIRMED, confirmedBy: ' ', pciDssCompliant: true },
    });
    // Assert
    expect(missing).toEqual(
      expect.arrayContaining(['s3.a reason for recording', 's3.b IT Security PCI DSS confirmation']),
    );
  });

  it('counts an empty list of access levels as missing part (e)', () => {
    // Act
    const { missing } = assessBusinessCase({ ...approved, accessLevels: [] });
    // Assert
    expect(missing).toEqual(['s3.e access levels']);
  });

  it('is approved when every part and the Director’s approval are there', () => {
    // Act
    const assessment = assessBusinessCase(approved);
    // Assert
    expect(assessment).toEqual({ status: 'approved', missing: [] });
    expect(approved.directorApproval).toEqual({ approvedBy: 'dir-1', approvedAt: NOW.toISOString() });
  });
});

describe('s.3 only the Director of Corporate Services approves, and only a complete case', () => {
  it('refuses anyone else, saying who may', () => {
    // Act
    const error = refusalOf(() => approveBusinessCase(COMPLETE, { ...director, roles: [] }, NOW));
    // Assert
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toMatch(/only the Director of Corporate Services/);
  });

  it('refuses an incomplete case, naming each missing part', () => {
    // Act
    const error = refusalOf(() =>
      approveBusinessCase({ ...COMPLETE, reason: '', accessLevels: [] }, director, NOW),
    );
    // Assert
    expect(error).toBeInstanceOf(PolicyRefusalError);
    expect((error as Error).message).toBe(
      'the case is not complete: s3.a reason for recording; s3.e access levels',
    );
  });
});

describe('s.3 a resubmitted case keeps the Director’s approval only when unchanged', () => {
  it('keeps it when the same case comes back with its fields in another order', () => {
    // Arrange: the stored copy (as read back from the table) orders its keys differently
    const reordered: SubmittedCase = {
      accessLevels: COMPLETE.accessLevels?.map((l) => ({ access: l.access, who: l.who })),
      hr: { staffConsulted: true, confirmedAt: CONFIRMED.confirmedAt, confirmedBy: CONFIRMED.confirmedBy },
      informationGovernance: { piaReference: 'PIA-2026-07', ...CONFIRMED },
      itSecurity: { pciDssCompliant: true, ...CONFIRMED },
      reason: COMPLETE.reason,
    };
    // Act
    const resubmitted = submitBusinessCase(reordered, approved);
    // Assert
    expect(resubmitted.directorApproval).toEqual(approved.directorApproval);
  });

  it('keeps it when the resubmission writes an absent field as undefined', () => {
    // Arrange: a field the stored case never had, present with no value
    const withUndefined = { ...COMPLETE, hr: { ...CONFIRMED, staffConsulted: true, note: undefined } };
    // Act
    const resubmitted = submitBusinessCase(withUndefined as SubmittedCase, approved);
    // Assert
    expect(resubmitted.directorApproval).toEqual(approved.directorApproval);
  });

  it.each([
    [
      'the access levels change',
      { accessLevels: [{ who: 'all-revenues-staff', access: 'download' as const }] },
    ],
    [
      'an access level is added',
      { accessLevels: [...(COMPLETE.accessLevels ?? []), { who: 'x', access: 'none' as const }] },
    ],
    ['a confirmation changes', { hr: { ...CONFIRMED, confirmedBy: 'officer-2', staffConsulted: true } }],
    ['a part is left out', { informationGovernance: undefined }],
  ])('withdraws it when %s', (_what, change) => {
    // Act
    const resubmitted = submitBusinessCase({ ...COMPLETE, ...change }, approved);
    // Assert
    expect(resubmitted.directorApproval).toBeUndefined();
    expect(assessBusinessCase(resubmitted).missing).toContain('Director of Corporate Services approval');
  });

  it('carries no approval for a case never approved', () => {
    // Act
    const submitted = submitBusinessCase(COMPLETE);
    // Assert
    expect(submitted.directorApproval).toBeUndefined();
  });
});
