/**
 * Who may do what (policy s.6). A principal is built from verified JWT claims by functions/http.
 *
 * Claim mapping (Cognito groups or an OIDC `groups` claim):
 *   `area:<serviceArea>:<grant>`  a per-service-area grant, e.g. `area:revenues:listener`
 *   `role:<corporateRole>`        a corporate role, e.g. `role:siro`
 * The telephony platform is a machine client whose `scope` claim contains `crs/ingest`; staff access
 * tokens carry `crs/staff`. Each route requires the scope of its caller class (declarations/routes.ts).
 * The staff id is one configured claim (`sub` by default), the same whatever token a person sends.
 */
import { INGEST_SCOPE, SCOPE_OF_CALLER } from '../../declarations/scopes.js';

export const AREA_GRANTS = ['listener', 'nominated', 'manager', 'head-of-service'] as const;
export type AreaGrant = (typeof AREA_GRANTS)[number];

export const CORPORATE_ROLES = [
  'siro',
  'internal-audit-manager',
  'monitoring-officer', // Head of Legal Services / Monitoring Officer
  'director-corporate-services',
  'chief-executive',
  'ig-officer',
  'release-log-keeper', // Corporate Customer Services
  'registrar',
] as const;
export type CorporateRole = (typeof CORPORATE_ROLES)[number];

export interface Principal {
  readonly staffId: string;
  /** serviceArea -> grants held there */
  readonly grants: Readonly<Record<string, readonly AreaGrant[]>>;
  readonly roles: readonly CorporateRole[];
  readonly scopes: readonly string[];
}

export const hasGrant = (p: Principal, serviceArea: string, grant: AreaGrant): boolean =>
  (p.grants[serviceArea] ?? []).includes(grant);

export const hasAnyGrant = (p: Principal, serviceArea: string, grants: readonly AreaGrant[]): boolean =>
  grants.some((g) => hasGrant(p, serviceArea, g));

export const hasRole = (p: Principal, role: CorporateRole): boolean => p.roles.includes(role);

export const hasAnyRole = (p: Principal, roles: readonly CorporateRole[]): boolean =>
  roles.some((r) => hasRole(p, r));

export const isIngestClient = (p: Principal): boolean => p.scopes.includes(INGEST_SCOPE);

/** Service areas where the principal holds any of the given grants. */
export const areasWith = (p: Principal, grants: readonly AreaGrant[]): string[] =>
  Object.entries(p.grants)
    .filter(([, held]) => held.some((g) => grants.includes(g)))
    .map(([area]) => area);

const AREA_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * What a claim-mapping entry (issuers such as Entra ID that send group object ids or app roles) may
 * grant: `area:<area>:<grant>`, `role:<corporateRole>` or `scope:<crs scope>` (an app-only token carries
 * app roles, not scopes, so the telephony client's role maps to `scope:crs/ingest`).
 */
export const isMappingTarget = (v: string): boolean => {
  const [kind, a, b, ...rest] = v.split(':');
  if (rest.length > 0 || !a) return false;
  if (kind === 'area') return AREA_ID.test(a) && b !== undefined && isAreaGrant(b);
  if (kind === 'role') return b === undefined && isCorporateRole(a);
  if (kind === 'scope') return b === undefined && Object.values(SCOPE_OF_CALLER).includes(a);
  return false;
};

const isAreaGrant = (v: string): v is AreaGrant => (AREA_GRANTS as readonly string[]).includes(v);
const isCorporateRole = (v: string): v is CorporateRole => (CORPORATE_ROLES as readonly string[]).includes(v);

/** Builds a principal from group names; unknown groups are ignored (they grant nothing). */
export const principalFrom = (
  staffId: string,
  groups: readonly string[],
  scopes: readonly string[],
): Principal => {
  const grants: Record<string, AreaGrant[]> = {};
  const roles: CorporateRole[] = [];
  for (const group of groups) {
    const [kind, a, b] = group.split(':');
    if (kind === 'area' && a && b && isAreaGrant(b)) {
      const held = grants[a] ?? [];
      grants[a] = held;
      if (!held.includes(b)) held.push(b);
    } else if (kind === 'role' && a && b === undefined && isCorporateRole(a) && !roles.includes(a)) {
      roles.push(a);
    }
  }
  return { staffId, grants, roles, scopes: [...scopes] };
};

/** The actors recorded when no person acted: the 24-month sweeper and S3's lifecycle expiry. */
export const SYSTEM_ACTORS = { sweeper: 'system:sweeper', lifecycle: 'system:s3-lifecycle' } as const;
