/**
 * Policy s.6, written out by hand from the policy text — deliberately NOT derived from
 * functions/domain/access.ts, so the two can disagree and the tests count the disagreements.
 *
 *  "Call recordings can be played back from the system for use within the Service Area for the agreed
 *   purposes by staff who have an operational need to do so."          → listener, nominated: same area
 *  "only nominated staff able to download, copy, share or delete recordings"  → nominated: same area
 *  Access "controlled" and accountable: the audit log is read by Information Governance and Corporate
 *  Customer Services (keeper of the Release of Recording Log)           → ig-officer, release-log-keeper
 *  The release approvers (manager, head of service, SIRO, ...) permit use OUTSIDE the area through the
 *  release workflow; the policy gives them no playback of their own.
 *
 * Columns: search view playback download copy share delete audit-read. `Y` allowed, `.` refused.
 * "same" = the recording's (or searched) service area is the one the grant is for; "other" = another area.
 */
export const POLICY_TABLE = `
holder                        | same area         | other area
area:listener                 | Y Y Y . . . . .   | . . . . . . . .
area:nominated                | Y Y Y Y Y Y Y .   | . . . . . . . .
area:manager                  | . . . . . . . .   | . . . . . . . .
area:head-of-service          | . . . . . . . .   | . . . . . . . .
role:siro                     | . . . . . . . .   | . . . . . . . .
role:internal-audit-manager   | . . . . . . . .   | . . . . . . . .
role:monitoring-officer       | . . . . . . . .   | . . . . . . . .
role:director-corporate-services | . . . . . . . . | . . . . . . . .
role:chief-executive          | . . . . . . . .   | . . . . . . . .
role:ig-officer               | . . . . . . . Y   | . . . . . . . Y
role:release-log-keeper       | . . . . . . . Y   | . . . . . . . Y
role:registrar                | . . . . . . . .   | . . . . . . . .
scope:crs/ingest              | . . . . . . . .   | . . . . . . . .
nobody                        | . . . . . . . .   | . . . . . . . .
`;

export const TABLE_ACTIONS = [
  'search',
  'view',
  'playback',
  'download',
  'copy',
  'share',
  'delete',
  'audit-read',
] as const;

export interface PolicyRow {
  /** `area:<grant>`, `role:<role>`, `scope:<scope>` or `nobody`. */
  readonly holder: string;
  readonly same: Readonly<Record<(typeof TABLE_ACTIONS)[number], boolean>>;
  readonly other: Readonly<Record<(typeof TABLE_ACTIONS)[number], boolean>>;
}

const cells = (text: string) => {
  const marks = text.trim().split(/\s+/);
  if (marks.length !== TABLE_ACTIONS.length || marks.some((m) => m !== 'Y' && m !== '.')) {
    throw new Error(`bad policy table cells: ${text}`);
  }
  return Object.fromEntries(TABLE_ACTIONS.map((a, i) => [a, marks[i] === 'Y'])) as PolicyRow['same'];
};

export const policyRows = (): PolicyRow[] =>
  POLICY_TABLE.trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [holder, same, other] = line.split('|').map((s) => s.trim());
      if (!holder || same === undefined || other === undefined)
        throw new Error(`bad policy table line: ${line}`);
      return { holder, same: cells(same), other: cells(other) };
    });

export const AREA = 'revenues';
export const OTHER_AREA = 'housing';

/** The JWT groups and scope of a holder whose area grant is for `AREA`. */
export const claimsOf = (holder: string): { groups: string[]; scope?: string } => {
  if (holder.startsWith('area:')) return { groups: [`area:${AREA}:${holder.slice(5)}`] };
  if (holder.startsWith('role:')) return { groups: [holder] };
  if (holder.startsWith('scope:')) return { groups: [], scope: holder.slice(6) };
  return { groups: [] };
};
