/**
 * Policy s.3: before a service area records calls, a business case goes to the Director of Corporate
 * Services. It is `approved` only when every part (a)–(e) is present and the Director has approved it.
 */
export interface Confirmation {
  /** Staff id or name of the officer who confirmed. */
  readonly confirmedBy: string;
  /** ISO 8601. */
  readonly confirmedAt: string;
}

export interface AccessLevel {
  /** A staff group or an individual staff id. */
  readonly who: string;
  readonly access: 'playback' | 'download' | 'release-request' | 'none';
}

export interface BusinessCase {
  /** s.3 (a) a clear and valid reason for recording. */
  readonly reason?: string;
  /** s.3 (b) IT Security Manager: PCI DSS and IT security standards. */
  readonly itSecurity?: Confirmation & { readonly pciDssCompliant: boolean };
  /** s.3 (c) Corporate IG Manager: IG policies, with the Privacy Impact Assessment reference. */
  readonly informationGovernance?: Confirmation & { readonly piaReference: string };
  /** s.3 (d) Head of HR and OD: HR policies, staff consulted. */
  readonly hr?: Confirmation & { readonly staffConsulted: boolean };
  /** s.3 (e) levels of access per staff group or individual. */
  readonly accessLevels?: readonly AccessLevel[];
  /** The Director of Corporate Services' permission. */
  readonly directorApproval?: { readonly approvedBy: string; readonly approvedAt: string };
}

export type BusinessCaseStatus = 'approved' | 'incomplete';

export interface BusinessCaseAssessment {
  readonly status: BusinessCaseStatus;
  /** Each missing part, named by the policy clause, e.g. `s3.b it-security PCI DSS confirmation`. */
  readonly missing: readonly string[];
}

const nonEmpty = (s: string | undefined): boolean => typeof s === 'string' && s.trim().length > 0;

export const assessBusinessCase = (c: BusinessCase): BusinessCaseAssessment => {
  const missing: string[] = [];
  if (!nonEmpty(c.reason)) missing.push('s3.a reason for recording');
  if (!c.itSecurity?.pciDssCompliant || !nonEmpty(c.itSecurity.confirmedBy))
    missing.push('s3.b IT Security PCI DSS confirmation');
  if (!c.informationGovernance || !nonEmpty(c.informationGovernance.piaReference))
    missing.push('s3.c IG confirmation with PIA reference');
  if (!c.hr?.staffConsulted || !nonEmpty(c.hr.confirmedBy))
    missing.push('s3.d HR confirmation that staff were consulted');
  if (!c.accessLevels || c.accessLevels.length === 0) missing.push('s3.e access levels');
  if (!c.directorApproval || !nonEmpty(c.directorApproval.approvedBy))
    missing.push('Director of Corporate Services approval');
  return { status: missing.length === 0 ? 'approved' : 'incomplete', missing };
};

export interface ServiceArea {
  readonly id: string;
  readonly name: string;
  readonly businessCase: BusinessCase;
  readonly status: BusinessCaseStatus;
  readonly missing: readonly string[];
  readonly updatedAt: string;
  readonly updatedBy: string;
}
