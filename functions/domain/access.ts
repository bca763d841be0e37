/**
 * Policy s.6 as a decision table: who may do what to a recording, given the recording's service area.
 *
 *   "Call recordings can be played back from the system for use within the Service Area for the agreed
 *    purposes by staff who have an operational need to do so" → `listener` or `nominated` of that area
 *    may search, view the metadata of and play the area's recordings.
 *   "only nominated staff able to download, copy, share or delete recordings" → `nominated` of that area.
 *   "Call recording systems must have security features that control access" (accountable access) →
 *    the audit log is read by Information Governance (`ig-officer`) and Corporate Customer Services
 *    (`release-log-keeper`, who keeps the Release of Recording Log).
 *
 * Corporate roles and manager / head-of-service grants approve releases (approvers.ts); they do not by
 * themselves let anyone hear a recording. Every decision names the rule it applied, allowed or not, so the
 * audit log records why.
 */
import { type AreaGrant, type CorporateRole, hasAnyGrant, hasAnyRole, type Principal } from './roles.js';

export const ACCESS_ACTIONS = [
  'search',
  'view',
  'playback',
  'download',
  'copy',
  'share',
  'delete',
  'audit-read',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

export type AccessDecision =
  | { readonly allowed: true; readonly rule: string }
  | { readonly allowed: false; readonly rule: string; readonly reason: string };

interface AreaRule {
  readonly kind: 'area';
  readonly rule: string;
  readonly grants: readonly AreaGrant[];
  readonly refusal: string;
}
interface CorporateRule {
  readonly kind: 'corporate';
  readonly rule: string;
  readonly roles: readonly CorporateRole[];
  readonly refusal: string;
}

const PLAYBACK: AreaRule = {
  kind: 'area',
  rule: 's6.playback-within-service-area',
  grants: ['listener', 'nominated'],
  refusal: "a listener or nominated grant for the recording's service area is required",
};
const NOMINATED: AreaRule = {
  kind: 'area',
  rule: 's6.nominated-staff-only',
  grants: ['nominated'],
  refusal: "only nominated staff of the recording's service area may download, copy, share or delete it",
};
const AUDIT_READERS: CorporateRule = {
  kind: 'corporate',
  rule: 's6.accountable-access',
  roles: ['ig-officer', 'release-log-keeper'],
  refusal:
    'only Information Governance officers and the Release of Recording Log keeper may read the audit log',
};

export const ACCESS_RULES: Readonly<Record<AccessAction, AreaRule | CorporateRule>> = {
  search: PLAYBACK,
  view: PLAYBACK,
  playback: PLAYBACK,
  download: NOMINATED,
  copy: NOMINATED,
  share: NOMINATED,
  delete: NOMINATED,
  'audit-read': AUDIT_READERS,
};

/**
 * Decides one action. `serviceArea` is the recording's (or the searched) service area; corporate actions
 * (audit-read) ignore it.
 */
export const decideAccess = (
  principal: Principal,
  action: AccessAction,
  serviceArea?: string,
): AccessDecision => {
  const rule = ACCESS_RULES[action];
  const allowed =
    rule.kind === 'area'
      ? serviceArea !== undefined && hasAnyGrant(principal, serviceArea, rule.grants)
      : hasAnyRole(principal, rule.roles);
  return allowed
    ? { allowed: true, rule: rule.rule }
    : { allowed: false, rule: rule.rule, reason: rule.refusal };
};

/** The service areas whose recordings the principal may search (listener or nominated there). */
export const searchableAreas = (principal: Principal): string[] =>
  Object.keys(principal.grants)
    .filter((area) => decideAccess(principal, 'search', area).allowed)
    .sort();
