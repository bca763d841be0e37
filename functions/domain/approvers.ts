/**
 * Policy s.6: who may permit use of a recording outside its service area, and who may permit release
 * to an external agency (after Corporate IG advice). The requester never approves their own request.
 */
import { type AreaGrant, type CorporateRole, hasAnyGrant, hasAnyRole, type Principal } from './roles.js';
import type { Schedule2Request } from './schedule2.js';

/** Use outside the service area by council officers (s.6 first list). */
export const INTERNAL_RELEASE_AREA_APPROVERS: readonly AreaGrant[] = ['manager', 'head-of-service'];
export const INTERNAL_RELEASE_CORPORATE_APPROVERS: readonly CorporateRole[] = [
  'siro',
  'internal-audit-manager',
  'monitoring-officer',
  'director-corporate-services',
  'chief-executive',
];

/** Release to an external agency (s.6 second list). */
export const EXTERNAL_RELEASE_APPROVERS: readonly CorporateRole[] = [
  'siro',
  'monitoring-officer',
  'director-corporate-services',
  'chief-executive',
];

export type Destination =
  | { kind: 'service-area'; serviceArea: string }
  | {
      kind: 'external-agency';
      agency: string;
      igAdviceRef?: string;
      /** DPA 2018 Schedule 2 request details (required on new requests; absent on older ones). */
      schedule2?: Schedule2Request;
    };

export interface ApprovalQuestion {
  readonly approver: Principal;
  readonly requesterId: string;
  /** The recording's own service area: managers and heads of service approve only for their own area. */
  readonly recordingServiceArea: string;
  readonly destination: Destination;
}

export type ApprovalDecision = { allowed: true } | { allowed: false; rule: string; reason: string };

export const mayApproveRelease = (q: ApprovalQuestion): ApprovalDecision => {
  if (q.approver.staffId === q.requesterId) {
    return {
      allowed: false,
      rule: 's6.no-self-approval',
      reason: 'the requester cannot approve their own request',
    };
  }
  if (q.destination.kind === 'external-agency') {
    if (!q.destination.igAdviceRef) {
      return {
        allowed: false,
        rule: 's6.external-needs-ig-advice',
        reason: 'release to an external agency needs Corporate IG advice recorded first',
      };
    }
    return hasAnyRole(q.approver, EXTERNAL_RELEASE_APPROVERS)
      ? { allowed: true }
      : {
          allowed: false,
          rule: 's6.external-approvers',
          reason:
            'only the SIRO, Monitoring Officer, Director of Corporate Services or Chief Executive may approve',
        };
  }
  const allowed =
    hasAnyRole(q.approver, INTERNAL_RELEASE_CORPORATE_APPROVERS) ||
    hasAnyGrant(q.approver, q.recordingServiceArea, INTERNAL_RELEASE_AREA_APPROVERS);
  return allowed
    ? { allowed: true }
    : {
        allowed: false,
        rule: 's6.internal-approvers',
        reason:
          "only the recording's service area manager or head of service, the SIRO, Internal Audit Manager, Monitoring Officer, Director of Corporate Services or Chief Executive may approve",
      };
};
