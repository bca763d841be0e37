/**
 * `GET /me`: who is signed in, their grants and roles, and what the policy lets them do — computed by
 * the same rules (and guards) the handlers apply, so the portal shows only what a request would pass.
 * It is a hint for navigation: every request is still decided by its own handler.
 */
import { decideAccess, searchableAreas } from '../domain/access.js';
import {
  EXTERNAL_RELEASE_APPROVERS,
  INTERNAL_RELEASE_AREA_APPROVERS,
  INTERNAL_RELEASE_CORPORATE_APPROVERS,
} from '../domain/approvers.js';
import { mayReadComplianceReport } from '../domain/compliance.js';
import { requireIgOfficer } from '../domain/holds.js';
import { isReleaseOverseer } from '../domain/release.js';
import { RETENTION_REPORT_READERS } from '../domain/retention.js';
import { areasWith, hasAnyRole, isIngestClient, type Principal } from '../domain/roles.js';
import { DUE_LIST_AREA_READERS, DUE_LIST_CORPORATE_READERS } from '../domain/staff-notices.js';
import { mayReadArea, requireRegistrar } from './access.js';

/** `all` where a corporate role reaches every service area. */
export type AreaScope = readonly string[] | 'all';

export interface Me {
  readonly staffId: string;
  readonly grants: Principal['grants'];
  readonly roles: Principal['roles'];
  readonly actions: {
    /** Search, open and play recordings of these areas (s.6). */
    readonly play: readonly string[];
    /** Download and delete recordings of these areas (s.6 nominated staff). */
    readonly downloadAndDelete: readonly string[];
    /** Request a release outside the service area (any council officer). */
    readonly requestRelease: boolean;
    /** Decide releases: within these areas (manager/head of service), any area, or external agencies. */
    readonly approveReleases: {
      readonly areas: AreaScope;
      readonly external: boolean;
    };
    readonly manageHolds: boolean;
    readonly readAudit: boolean;
    readonly readReleaseLog: boolean;
    readonly readRetentionReports: boolean;
    readonly readComplianceReport: AreaScope;
    readonly readRegisters: AreaScope;
    readonly writeRegisters: boolean;
    readonly readDueList: AreaScope;
  };
}

/** An area no grant names: a rule that passes for it passes through a corporate role, for every area. */
const NO_AREA = '\u0000no-area';

const passes = (guard: () => void): boolean => {
  try {
    guard();
    return true;
  } catch {
    return false;
  }
};

const areasWhere = (p: Principal, allowed: (area: string) => boolean): string[] =>
  Object.keys(p.grants).filter(allowed).sort();

export const meUseCase = (p: Principal): Me => {
  const allAreas = (corporate: boolean, areas: string[]): AreaScope => (corporate ? 'all' : areas);
  return {
    staffId: p.staffId,
    grants: p.grants,
    roles: p.roles,
    actions: {
      play: searchableAreas(p).filter((area) => decideAccess(p, 'playback', area).allowed),
      downloadAndDelete: areasWhere(
        p,
        (area) => decideAccess(p, 'download', area).allowed && decideAccess(p, 'delete', area).allowed,
      ),
      requestRelease: !isIngestClient(p),
      approveReleases: {
        areas: allAreas(
          hasAnyRole(p, INTERNAL_RELEASE_CORPORATE_APPROVERS),
          areasWith(p, INTERNAL_RELEASE_AREA_APPROVERS).sort(),
        ),
        external: hasAnyRole(p, EXTERNAL_RELEASE_APPROVERS),
      },
      manageHolds: passes(() => requireIgOfficer(p)),
      readAudit: decideAccess(p, 'audit-read').allowed,
      readReleaseLog: isReleaseOverseer(p),
      readRetentionReports: hasAnyRole(p, RETENTION_REPORT_READERS),
      readComplianceReport: allAreas(
        mayReadComplianceReport(p, NO_AREA),
        areasWhere(p, (area) => mayReadComplianceReport(p, area)),
      ),
      readRegisters: allAreas(
        mayReadArea(p, NO_AREA),
        areasWhere(p, (area) => mayReadArea(p, area)),
      ),
      writeRegisters: passes(() => requireRegistrar(p)),
      readDueList: allAreas(
        hasAnyRole(p, DUE_LIST_CORPORATE_READERS),
        areasWith(p, DUE_LIST_AREA_READERS).sort(),
      ),
    },
  };
};
