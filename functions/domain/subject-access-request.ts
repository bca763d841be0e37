/**
 * A subject access request (UK GDPR Art. 15, DPA 2018) for a caller's own recordings, as the Corporate
 * Information Governance Unit handles it: opened with the identity checks done (what was checked, never
 * the documents), the caller number(s) (kept only as their HMAC pseudonyms and last three digits) and a
 * date range; a search through the caller index across every service area; a decision on each recording
 * found (disclose, withhold under a named exemption, or third-party review); a package of the disclosed
 * recordings; closure. Due dates come from subject-access.ts. Pure: no I/O here.
 */
import { type CalendarDay, extendSar, isOverdue, type SarExtension, sarDueDate } from './subject-access.js';

export const SAR_RULES = {
  igOnly: 'dpa.sar-by-ig',
  reportReaders: 'report.subject-access-readers',
  closed: 'dpa.sar-closed',
  notSearched: 'dpa.sar-search-first',
  notInResults: 'dpa.sar-not-in-results',
  unmarked: 'dpa.sar-unmarked',
  thirdPartyPending: 'dpa.sar-third-party-review-pending',
  nothingToDisclose: 'dpa.sar-nothing-to-disclose',
  packageFirst: 'dpa.sar-package-first',
  alreadyPackaged: 'dpa.sar-already-packaged',
  search: 'dpa.sar-search',
  mark: 'dpa.sar-mark',
  playback: 'dpa.sar-playback',
  disclosure: 'dpa.sar-disclosure',
} as const;

/** The purpose every SAR access is recorded under (audit log, Release of Recording Log). */
export const SAR_PURPOSE = 'subject-access';

/** What IG checked to be satisfied of the requester's identity (recorded as the check, not the document). */
export const IDENTITY_CHECKS = [
  'photo-id', // passport or driving licence seen
  'proof-of-address', // utility bill, bank statement, council tax bill seen
  'council-account', // details only the account holder knows (council tax / benefits account)
  'known-caller-details', // details of the calls themselves (dates, what was discussed)
  'authority-to-act', // a representative's signed authority (solicitor, advocate, attorney)
  'other',
] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

/**
 * The exemptions (and restrictions) of the DPA 2018 an IG officer may withhold a recording under, by where
 * they are in the Act. Closed list: a withheld recording names one of these.
 */
export const SAR_EXEMPTIONS = {
  'sch2-p1-para2-crime':
    'Schedule 2 Part 1 paragraph 2: crime and taxation (disclosure would prejudice the prevention or detection of crime)',
  'sch2-p1-para4-immigration': 'Schedule 2 Part 1 paragraph 4: immigration',
  'sch2-p1-para5-legal-proceedings':
    'Schedule 2 Part 1 paragraph 5: information required to be disclosed by law or in connection with legal proceedings',
  'sch2-p2-para7-protection-of-public':
    'Schedule 2 Part 2 paragraph 7: functions designed to protect the public',
  'sch2-p3-para16-third-party':
    'Schedule 2 Part 3 paragraph 16: protection of the rights of others (third-party data, no consent, not reasonable to disclose)',
  'sch2-p4-para19-legal-privilege': 'Schedule 2 Part 4 paragraph 19: legal professional privilege',
  'sch2-p4-para23-negotiations': 'Schedule 2 Part 4 paragraph 23: negotiations with the requester',
  'sch2-p4-para24-confidential-references': 'Schedule 2 Part 4 paragraph 24: confidential references',
  'sch3-p2-health-serious-harm':
    'Schedule 3 Part 2: health data, where disclosure would be likely to cause serious harm',
  'sch3-p3-social-work-serious-harm':
    'Schedule 3 Part 3: social work data, where disclosure would be likely to cause serious harm',
  'sch3-p4-education-serious-harm':
    'Schedule 3 Part 4: education data, where disclosure would be likely to cause serious harm',
  'sch3-p5-child-abuse': 'Schedule 3 Part 5: child abuse data',
  'sch4-restricted-by-enactment':
    'Schedule 4: disclosure prohibited or restricted by an enactment (e.g. adoption, parental order records)',
} as const;
export type SarExemption = keyof typeof SAR_EXEMPTIONS;
export const SAR_EXEMPTION_IDS = Object.keys(SAR_EXEMPTIONS) as [SarExemption, ...SarExemption[]];

export const SAR_DECISIONS = ['disclose', 'withhold', 'third-party-review'] as const;
export type SarDecision = (typeof SAR_DECISIONS)[number];

export interface SarMark {
  readonly decision: SarDecision;
  readonly exemption?: SarExemption;
  readonly note?: string;
  readonly by: string;
  readonly at: string;
}

/** A recording the search found: what the package and the log need of it, and IG's decision. */
export interface SarRecording {
  readonly recordingId: string;
  readonly serviceArea: string;
  readonly startedAt: string;
  readonly format: string;
  readonly archiveKey: string;
  readonly archiveVersionId?: string;
  readonly mark?: SarMark;
}

export interface SarCaller {
  /** The caller index's HMAC pseudonym of the number (functions/adapters/pseudonymise.ts). */
  readonly hash: string;
  readonly last3: string;
}

export interface SarPackage {
  readonly packageId: string;
  readonly keys: readonly string[];
  readonly manifestSha256: string;
  readonly recordingIds: readonly string[];
  readonly createdBy: string;
  readonly createdAt: string;
  /** The package's files are kept (and links issued) until then. */
  readonly expiresAt: string;
}

export const SAR_STATES = ['OPEN', 'CLOSED'] as const;
export type SarState = (typeof SAR_STATES)[number];

export interface SubjectAccessRequest {
  readonly sarId: string;
  readonly state: SarState;
  readonly requester: { readonly name: string; readonly reference?: string };
  readonly identityChecks: readonly { readonly check: IdentityCheck; readonly detail: string }[];
  readonly callers: readonly SarCaller[];
  /** ISO 8601 bounds on the calls' start, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly receivedOn: CalendarDay;
  readonly dueDate: CalendarDay;
  readonly extensions: readonly SarExtension[];
  readonly openedBy: string;
  readonly openedAt: string;
  readonly search?: { readonly by: string; readonly at: string; readonly found: number };
  readonly recordings: readonly SarRecording[];
  readonly package?: SarPackage;
  readonly closed?: { readonly by: string; readonly at: string; readonly note: string };
  readonly version: number;
}

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly kind: 'validation'; readonly field: string; readonly expected: string }
  | {
      readonly ok: false;
      readonly kind: 'policy' | 'conflict';
      readonly rule: string;
      readonly reason: string;
    };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const invalid = <T>(field: string, expected: string): Outcome<T> => ({
  ok: false,
  kind: 'validation',
  field,
  expected,
});
const refuse = <T>(rule: string, reason: string, kind: 'policy' | 'conflict' = 'policy'): Outcome<T> => ({
  ok: false,
  kind,
  rule,
  reason,
});

/** The council's calendar day of an instant (Europe/London), as the due date counts it. */
export const londonDay = (at: Date): CalendarDay =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);

export interface OpenInput {
  readonly requester: SubjectAccessRequest['requester'];
  readonly identityChecks: SubjectAccessRequest['identityChecks'];
  readonly callers: readonly SarCaller[];
  readonly from: string;
  readonly to: string;
  /** The day the request was received; today when not given. */
  readonly receivedOn?: CalendarDay;
}

export const openSar = (
  input: OpenInput,
  by: { sarId: string; staffId: string; now: Date },
): Outcome<SubjectAccessRequest> => {
  const today = londonDay(by.now);
  const receivedOn = input.receivedOn ?? today;
  if (receivedOn > today) return invalid('body.receivedOn', `not after today (${today})`);
  if (Date.parse(input.from) > Date.parse(input.to)) return invalid('body.to', 'not before body.from');
  return ok({
    sarId: by.sarId,
    state: 'OPEN',
    requester: input.requester,
    identityChecks: input.identityChecks,
    callers: input.callers,
    // UTC with milliseconds, as the catalogue stores startedAt: the index compares them as strings.
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    receivedOn,
    dueDate: sarDueDate(receivedOn),
    extensions: [],
    openedBy: by.staffId,
    openedAt: by.now.toISOString(),
    recordings: [],
    version: 1,
  });
};

const bump = (sar: SubjectAccessRequest, changes: Partial<SubjectAccessRequest>): SubjectAccessRequest => ({
  ...sar,
  ...changes,
  version: sar.version + 1,
});

const whileOpen = (sar: SubjectAccessRequest): Outcome<never> | undefined =>
  sar.state === 'OPEN'
    ? undefined
    : refuse(SAR_RULES.closed, `subject access request ${sar.sarId} is closed`, 'conflict');

/** An extension with its reason (subject-access.ts decides whether the Act allows it). */
export const extend = (
  sar: SubjectAccessRequest,
  ext: { to: CalendarDay; reason: string; by: string; now: Date },
): Outcome<SubjectAccessRequest> => {
  const closed = whileOpen(sar);
  if (closed) return closed;
  const decision = extendSar(sar, { to: ext.to, reason: ext.reason, today: londonDay(ext.now) });
  if (!decision.ok) return refuse(decision.rule, decision.reason);
  return ok(
    bump(sar, {
      dueDate: decision.dueDate,
      extensions: [
        ...sar.extensions,
        { to: ext.to, reason: ext.reason, by: ext.by, at: ext.now.toISOString() },
      ],
    }),
  );
};

/**
 * The search's result replaces the last one, keeping the decisions already made on recordings found
 * again. Not once a package has been made: what was disclosed is settled.
 */
export const recordSearch = (
  sar: SubjectAccessRequest,
  found: readonly Omit<SarRecording, 'mark'>[],
  by: { staffId: string; now: Date },
): Outcome<SubjectAccessRequest> => {
  const closed = whileOpen(sar);
  if (closed) return closed;
  if (sar.package)
    return refuse(
      SAR_RULES.alreadyPackaged,
      `subject access request ${sar.sarId} has its package (${sar.package.packageId}); the search is settled`,
      'conflict',
    );
  const marks = new Map(sar.recordings.map((r) => [r.recordingId, r.mark]));
  const recordings = [...new Map(found.map((r) => [r.recordingId, r])).values()]
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.recordingId.localeCompare(b.recordingId))
    .map((r) => {
      const mark = marks.get(r.recordingId);
      return mark ? { ...r, mark } : r;
    });
  return ok(
    bump(sar, {
      recordings,
      search: { by: by.staffId, at: by.now.toISOString(), found: recordings.length },
    }),
  );
};

/** A recording this request's search found, for IG to listen to or decide on. */
export const inResults = (sar: SubjectAccessRequest, recordingId: string): Outcome<SarRecording> => {
  const closed = whileOpen(sar);
  if (closed) return closed;
  if (!sar.search)
    return refuse(SAR_RULES.notSearched, `subject access request ${sar.sarId} has not been searched yet`);
  const found = sar.recordings.find((r) => r.recordingId === recordingId);
  if (!found)
    return refuse(
      SAR_RULES.notInResults,
      `recording ${recordingId} is not among the recordings subject access request ${sar.sarId} found`,
    );
  return ok(found);
};

export const markRecording = (
  sar: SubjectAccessRequest,
  recordingId: string,
  input: { decision: SarDecision; exemption?: SarExemption; note?: string },
  by: { staffId: string; now: Date },
): Outcome<SubjectAccessRequest> => {
  const found = inResults(sar, recordingId);
  if (!found.ok) return found;
  if (sar.package)
    return refuse(
      SAR_RULES.alreadyPackaged,
      `subject access request ${sar.sarId} has its package (${sar.package.packageId}); its decisions are settled`,
      'conflict',
    );
  if (input.decision === 'withhold' && !input.exemption)
    return invalid(
      'body.exemption',
      `the exemption a withheld recording relies on: one of ${SAR_EXEMPTION_IDS.join(', ')}`,
    );
  if (input.decision !== 'withhold' && input.exemption)
    return invalid('body.exemption', 'only for decision withhold');
  if (input.decision === 'third-party-review' && !input.note)
    return invalid('body.note', 'who or what the third-party review is about');
  const mark: SarMark = {
    decision: input.decision,
    ...(input.exemption ? { exemption: input.exemption } : {}),
    ...(input.note ? { note: input.note } : {}),
    by: by.staffId,
    at: by.now.toISOString(),
  };
  return ok(
    bump(sar, {
      recordings: sar.recordings.map((r) => (r.recordingId === recordingId ? { ...r, mark } : r)),
    }),
  );
};

/** The recordings a package may be made of: every recording decided, none awaiting third-party review. */
export const disclosable = (sar: SubjectAccessRequest): Outcome<readonly SarRecording[]> => {
  const closed = whileOpen(sar);
  if (closed) return closed;
  if (!sar.search)
    return refuse(SAR_RULES.notSearched, `subject access request ${sar.sarId} has not been searched yet`);
  if (sar.package)
    return refuse(
      SAR_RULES.alreadyPackaged,
      `subject access request ${sar.sarId} already has its package ${sar.package.packageId}`,
      'conflict',
    );
  const unmarked = sar.recordings.filter((r) => !r.mark).map((r) => r.recordingId);
  if (unmarked.length > 0)
    return refuse(
      SAR_RULES.unmarked,
      `decide every recording found first; undecided: ${unmarked.join(', ')}`,
    );
  const pending = sar.recordings.filter((r) => r.mark?.decision === 'third-party-review');
  if (pending.length > 0)
    return refuse(
      SAR_RULES.thirdPartyPending,
      `third-party review is still open for ${pending.map((r) => r.recordingId).join(', ')}: disclose or withhold each first`,
    );
  const disclosed = sar.recordings.filter((r) => r.mark?.decision === 'disclose');
  if (disclosed.length === 0)
    return refuse(
      SAR_RULES.nothingToDisclose,
      'no recording is marked disclose: close the request with a note instead of making a package',
    );
  return ok(disclosed);
};

export const withPackage = (sar: SubjectAccessRequest, pkg: SarPackage): SubjectAccessRequest =>
  bump(sar, { package: pkg });

/**
 * Closing: once the search is done and, if anything is to be disclosed, once its package exists (nothing
 * found, or everything withheld, closes with the note saying so).
 */
export const closeSar = (
  sar: SubjectAccessRequest,
  input: { note: string; by: string; now: Date },
): Outcome<SubjectAccessRequest> => {
  const closed = whileOpen(sar);
  if (closed) return closed;
  if (!sar.search)
    return refuse(SAR_RULES.notSearched, `search for the caller's recordings before closing ${sar.sarId}`);
  if (!sar.package) {
    const undecided = sar.recordings.filter((r) => !r.mark || r.mark.decision === 'third-party-review');
    if (undecided.length > 0)
      return refuse(
        SAR_RULES.unmarked,
        `disclose or withhold every recording first; still open: ${undecided.map((r) => r.recordingId).join(', ')}`,
      );
    if (sar.recordings.some((r) => r.mark?.decision === 'disclose'))
      return refuse(
        SAR_RULES.packageFirst,
        'recordings are marked disclose: make the package before closing',
      );
  }
  return ok(
    bump(sar, { state: 'CLOSED', closed: { by: input.by, at: input.now.toISOString(), note: input.note } }),
  );
};

// --- reports ------------------------------------------------------------------------------------------

/** Who reads the SAR reports: the corporate report readers (as for the retention reports). */
export const SAR_REPORT_READERS = ['ig-officer', 'release-log-keeper'] as const;

export interface SarSummary {
  readonly sarId: string;
  readonly receivedOn: CalendarDay;
  readonly dueDate: CalendarDay;
  readonly extended: boolean;
  readonly found: number | null;
  readonly daysOverdue?: number;
}

const dayNumber = (day: CalendarDay): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

export const summarise = (sar: SubjectAccessRequest, today: CalendarDay): SarSummary => ({
  sarId: sar.sarId,
  receivedOn: sar.receivedOn,
  dueDate: sar.dueDate,
  extended: sar.extensions.length > 0,
  found: sar.search ? sar.search.found : null,
  ...(isOverdue(sar.dueDate, today) ? { daysOverdue: dayNumber(today) - dayNumber(sar.dueDate) } : {}),
});

export interface SarReport {
  readonly today: CalendarDay;
  /** Open requests, soonest due first. */
  readonly open: readonly SarSummary[];
  /** Open requests past their due date, most overdue first. */
  readonly overdue: readonly SarSummary[];
  /** Requests closed, counted by the month (YYYY-MM) they were closed in, and how many of them late. */
  readonly closedPerMonth: readonly { month: string; closed: number; closedLate: number }[];
}

export const sarReport = (
  open: readonly SubjectAccessRequest[],
  closed: readonly SubjectAccessRequest[],
  today: CalendarDay,
): SarReport => {
  const summaries = open
    .filter((s) => s.state === 'OPEN')
    .map((s) => summarise(s, today))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.sarId.localeCompare(b.sarId));
  const months = new Map<string, { closed: number; closedLate: number }>();
  for (const s of closed) {
    if (!s.closed) continue;
    const day = londonDay(new Date(s.closed.at));
    const month = day.slice(0, 7);
    const m = months.get(month) ?? { closed: 0, closedLate: 0 };
    m.closed += 1;
    if (day > s.dueDate) m.closedLate += 1;
    months.set(month, m);
  }
  return {
    today,
    open: summaries,
    overdue: summaries
      .filter((s) => s.daysOverdue !== undefined)
      .sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0)),
    closedPerMonth: [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, m]) => ({ month, ...m })),
  };
};
