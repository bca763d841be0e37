/**
 * Demo personas for the local issuer, one per grant and corporate role of functions/domain/roles.ts.
 * Tests import these (`tokenFor('revenues-nominated')`), the CLI logs in as them (`crs login --as siro`).
 *
 * Claims follow the documented mapping: `cognito:groups` holds `area:<serviceArea>:<grant>` and
 * `role:<corporateRole>`; `sub` is the staff id; staff tokens carry `scope: crs/staff`, the telephony
 * platform is a machine client with `scope: crs/ingest` and no groups.
 */

import { INGEST_SCOPE } from '../declarations/scopes.js';
import {
  AREA_GRANTS,
  type AreaGrant,
  CORPORATE_ROLES,
  type CorporateRole,
} from '../functions/domain/roles.js';

export const DEMO_AREAS = ['revenues', 'housing'] as const;
export type DemoArea = (typeof DEMO_AREAS)[number];

export type PersonaId = 'telephony' | `${DemoArea}-${AreaGrant}` | CorporateRole | 'no-access';

export interface Persona {
  readonly id: PersonaId;
  readonly name: string;
  /** `sub`, the staff id (a client id for the machine client). */
  readonly staffId: string;
  readonly groups: readonly string[];
  /** OAuth scopes, space separated, for machine clients. */
  readonly scope?: string;
  readonly description: string;
}

const GRANT_TEXT: Record<AreaGrant, string> = {
  listener: 'plays back recordings of the area for a stated purpose',
  nominated: 'nominated staff: downloads, copies, shares and deletes recordings of the area',
  manager: 'service area manager (nominated by the Head of Service): approves releases',
  'head-of-service': 'Head of Service: approves releases, nominates managers',
};

const ROLE_TEXT: Record<CorporateRole, { name: string; description: string }> = {
  siro: { name: 'Sam Iro', description: 'Senior Information Risk Owner' },
  'internal-audit-manager': { name: 'Ines Audit', description: 'Internal Audit Manager' },
  'monitoring-officer': { name: 'Morgan Legal', description: 'Head of Legal Services / Monitoring Officer' },
  'director-corporate-services': { name: 'Dana Director', description: 'Director of Corporate Services' },
  'chief-executive': { name: 'Chris Chief', description: 'Chief Executive' },
  'ig-officer': {
    name: 'Ivy Governance',
    description: 'Information Governance: holds, advice, extensions of retention',
  },
  'release-log-keeper': {
    name: 'Cory Services',
    description: 'Corporate Customer Services: keeps the Release of Recording Log',
  },
  registrar: {
    name: 'Rita Registrar',
    description: 'Keeps the registers: service areas, extensions, staff notices',
  },
};

const titleCase = (s: string) =>
  s.replace(/(^|-)(\w)/g, (_, sep: string, c: string) => `${sep ? ' ' : ''}${c.toUpperCase()}`);

const list: Persona[] = [
  {
    id: 'telephony',
    name: 'Telephony platform',
    staffId: 'telephony-platform',
    groups: [],
    scope: INGEST_SCOPE,
    description: 'machine client: registers calls and uploads audio',
  },
  ...DEMO_AREAS.flatMap((area) =>
    AREA_GRANTS.map(
      (grant): Persona => ({
        id: `${area}-${grant}`,
        name: `${titleCase(area)} ${titleCase(grant)}`,
        staffId: `staff-${area}-${grant}`,
        groups: [`area:${area}:${grant}`],
        description: `${area}: ${GRANT_TEXT[grant]}`,
      }),
    ),
  ),
  ...CORPORATE_ROLES.map(
    (role): Persona => ({
      id: role,
      name: ROLE_TEXT[role].name,
      staffId: `staff-${role}`,
      groups: [`role:${role}`],
      description: ROLE_TEXT[role].description,
    }),
  ),
  {
    id: 'no-access',
    name: 'Nora Access',
    staffId: 'staff-no-access',
    groups: [],
    description: 'signed in, holds no grant or role (every recording action is refused)',
  },
];

export const PERSONAS: Readonly<Record<PersonaId, Persona>> = Object.fromEntries(
  list.map((p) => [p.id, p]),
) as Record<PersonaId, Persona>;

export const PERSONA_IDS = list.map((p) => p.id);

export const isPersonaId = (value: unknown): value is PersonaId =>
  typeof value === 'string' && (PERSONA_IDS as string[]).includes(value);
