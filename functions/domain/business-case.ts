/**
 * Policy s.3: before a service area records calls, a business case goes to the Director of Corporate
 * Services. It is `approved` only when every part (a)–(e) is present and the Director has approved it.
 *
 * Workflow (issue 11 item 9): the registrar submits the case (parts a–e); the Director of Corporate
 * Services approves it with their own token (`POST /service-areas/{id}/approve`), which records who
 * approved (their staff id from the token) and when. Nobody can type the approval in. A change to any
 * part of the case after approval withdraws it: the Director approved that case, not the new one.
 */
import { ForbiddenError, PolicyRefusalError } from './errors.js';
import { hasRole, type Principal } from './roles.js';

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
  /** The Director of Corporate Services' permission: set only by approveBusinessCase. */
  readonly directorApproval?: { readonly approvedBy: string; readonly approvedAt: string };
}

/** The parts the registrar submits. */
export type SubmittedCase = Omit<BusinessCase, 'directorApproval'>;

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
};

const submittedPart = ({ directorApproval: _approval, ...parts }: BusinessCase): SubmittedCase => parts;

/** The case as the registrar submits it: the Director's approval survives only an unchanged case. */
export const submitBusinessCase = (submitted: SubmittedCase, previous?: BusinessCase): BusinessCase => {
  const unchanged =
    previous?.directorApproval !== undefined &&
    canonical(submittedPart(previous)) === canonical(submittedPart(submitted as BusinessCase));
  const parts = submittedPart(submitted as BusinessCase);
  return unchanged && previous?.directorApproval
    ? { ...parts, directorApproval: previous.directorApproval }
    : parts;
};

export const DIRECTOR_ROLE = 'director-corporate-services';

/** The Director of Corporate Services approves a complete case, as themselves. */
export const approveBusinessCase = (c: BusinessCase, director: Principal, now: Date): BusinessCase => {
  if (!hasRole(director, DIRECTOR_ROLE)) {
    throw new ForbiddenError(
      's3.director-approves',
      'only the Director of Corporate Services (role director-corporate-services) may approve a business case',
    );
  }
  const { missing } = assessBusinessCase(submittedPart(c));
  const partsMissing = missing.filter((m) => m.startsWith('s3.'));
  if (partsMissing.length > 0) {
    throw new PolicyRefusalError('s3.business-case', `the case is not complete: ${partsMissing.join('; ')}`);
  }
  return {
    ...submittedPart(c),
    directorApproval: { approvedBy: director.staffId, approvedAt: now.toISOString() },
  };
};

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
