/**
 * DPA 2018 Schedule 2: the exemptions an agency (most often the police) relies on to ask for personal data,
 * and what the council's request form records before anyone decides. A request to an external agency
 * carries all of it; the release's approver and the Release of Recording Log see it.
 */

/** The Schedule 2 paragraphs an agency may cite, by where they are in the Act. */
export const SCHEDULE2_BASES = {
  'sch2-part1-para2':
    'Schedule 2 Part 1 paragraph 2: crime and taxation (prevention or detection of crime, apprehension or prosecution of offenders)',
  'sch2-part1-para3': 'Schedule 2 Part 1 paragraph 3: crime and taxation (risk assessment systems)',
  'sch2-part1-para4': 'Schedule 2 Part 1 paragraph 4: immigration',
  'sch2-part1-para5':
    'Schedule 2 Part 1 paragraph 5: disclosure required by law or in connection with legal proceedings',
  'sch2-part2-para7': 'Schedule 2 Part 2 paragraph 7: functions designed to protect the public',
} as const;
export type Schedule2Basis = keyof typeof SCHEDULE2_BASES;
export const SCHEDULE2_BASIS_IDS = Object.keys(SCHEDULE2_BASES) as [Schedule2Basis, ...Schedule2Basis[]];

export const DELIVERY_METHODS = ['secure-link', 'collection-in-person', 'encrypted-media'] as const;
export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export interface Schedule2Request {
  readonly authorisingOfficer: { readonly name: string; readonly rank: string };
  readonly statutoryBasis: Schedule2Basis;
  /** Crime or incident number, or the agency's own reference. */
  readonly reference: string;
  readonly whyNeeded: string;
  /** Why, without the data, the purpose would be likely to be prejudiced (the exemption's test). */
  readonly prejudiceWithout: string;
  /** Whether the data subject may be told of the disclosure (telling them may itself prejudice it). */
  readonly dataSubjectMayBeTold: boolean;
  readonly deliveryMethod: DeliveryMethod;
}

/** One line for the Release of Recording Log entry of the request. */
export const describeSchedule2 = (r: Schedule2Request): string =>
  [
    `${r.statutoryBasis} ref ${r.reference}`,
    `authorised by ${r.authorisingOfficer.rank} ${r.authorisingOfficer.name}`,
    `subject may be told: ${r.dataSubjectMayBeTold ? 'yes' : 'no'}`,
    `delivery: ${r.deliveryMethod}`,
  ].join('; ');
