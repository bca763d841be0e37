/**
 * Policy s.6: "advice must be sought from the Corporate Information Governance Unit" before a recording
 * is used for a purpose other than s.6 (a)–(e), and before it is released to an external agency. The
 * advice is a record IG writes — which recordings it covers, for which purpose and kind of use, its text,
 * its conditions and until when it stands — not a reference a requester types. `checkAdvice` is the one
 * decision every use of a recording that needs advice goes through; each refusal names its rule.
 */
import { OTHER_PURPOSE, PURPOSES } from './purposes.js';

/** What the advice lets happen: use inside the council for a purpose, or release to an external agency. */
export const ADVICE_USES = ['use', 'external-release'] as const;
export type AdviceUse = (typeof ADVICE_USES)[number];

export const ADVICE_PURPOSES = [...PURPOSES, OTHER_PURPOSE] as const;

/** Which recordings the advice covers: named ones, or every recording of an area in a time window. */
export type AdviceRecordings =
  | { readonly kind: 'ids'; readonly recordingIds: readonly string[] }
  | { readonly kind: 'query'; readonly serviceArea: string; readonly from: string; readonly to: string };

export interface IgAdvice {
  readonly adviceId: string;
  readonly recordings: AdviceRecordings;
  /** Purposes the advice covers (s.6 (a)–(e) or `other`). */
  readonly purposes: readonly string[];
  readonly uses: readonly AdviceUse[];
  /** For an external release: the agency it is for; any agency when absent. */
  readonly agency?: string;
  readonly advice: string;
  readonly conditions: readonly string[];
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/** The use that needs advice: this recording, this purpose, this kind of use (and agency). */
export interface AdviceQuestion {
  readonly recording: {
    readonly recordingId: string;
    readonly serviceArea: string;
    readonly startedAt: string;
  };
  readonly purpose: string;
  readonly use: AdviceUse;
  readonly agency?: string;
}

export const ADVICE_RULES = {
  required: 's6.ig-advice-required',
  expired: 's6.ig-advice-expired',
  notCovering: 's6.ig-advice-not-covering',
} as const;

export type AdviceDecision =
  | { readonly ok: true; readonly advice: IgAdvice }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

const refuse = (rule: string, reason: string): AdviceDecision => ({ ok: false, rule, reason });

const USE_WORDS: Record<AdviceUse, string> = {
  use: 'use for a purpose outside s.6 (a)–(e)',
  'external-release': 'release to an external agency',
};

export const coversRecording = (r: AdviceRecordings, rec: AdviceQuestion['recording']): boolean =>
  r.kind === 'ids'
    ? r.recordingIds.includes(rec.recordingId)
    : r.serviceArea === rec.serviceArea &&
      Date.parse(r.from) <= Date.parse(rec.startedAt) &&
      Date.parse(rec.startedAt) <= Date.parse(r.to);

const sameAgency = (a: string, b: string | undefined): boolean =>
  a.trim().toLowerCase() === (b ?? '').trim().toLowerCase();

/**
 * Whether the advice cited as `citedId` (found as `advice`, or not found) allows this use now. Refusals:
 * no advice cited or none on record → required; not yet or no longer in force → expired; another
 * recording, purpose, kind of use or agency → not covering.
 */
export const checkAdvice = (
  citedId: string | undefined,
  advice: IgAdvice | undefined,
  q: AdviceQuestion,
  now: Date,
): AdviceDecision => {
  const what = `${USE_WORDS[q.use]} (purpose ${q.purpose}) of recording ${q.recording.recordingId}`;
  if (!citedId)
    return refuse(
      ADVICE_RULES.required,
      `${what} needs Corporate IG advice: cite its advice id (igAdviceRef)`,
    );
  if (!advice)
    return refuse(
      ADVICE_RULES.required,
      `IG advice ${citedId} is not on record: ${what} needs advice recorded by an IG officer (POST /ig-advice)`,
    );
  if (now.getTime() < Date.parse(advice.issuedAt) || now.getTime() >= Date.parse(advice.expiresAt))
    return refuse(
      ADVICE_RULES.expired,
      `IG advice ${advice.adviceId} is in force from ${advice.issuedAt} until ${advice.expiresAt}; ask IG for new advice`,
    );
  if (!coversRecording(advice.recordings, q.recording))
    return refuse(
      ADVICE_RULES.notCovering,
      `IG advice ${advice.adviceId} does not cover recording ${q.recording.recordingId}`,
    );
  if (!advice.purposes.includes(q.purpose))
    return refuse(
      ADVICE_RULES.notCovering,
      `IG advice ${advice.adviceId} covers purposes ${advice.purposes.join(', ')}, not ${q.purpose}`,
    );
  if (!advice.uses.includes(q.use))
    return refuse(
      ADVICE_RULES.notCovering,
      `IG advice ${advice.adviceId} does not cover ${USE_WORDS[q.use]}`,
    );
  if (q.use === 'external-release' && advice.agency !== undefined && !sameAgency(advice.agency, q.agency))
    return refuse(
      ADVICE_RULES.notCovering,
      `IG advice ${advice.adviceId} covers release to ${advice.agency}, not to ${q.agency ?? 'an unnamed agency'}`,
    );
  return { ok: true, advice };
};

/** A new advice record as IG states it; the expiry must be after it is issued. */
export const newAdvice = (
  input: Omit<IgAdvice, 'adviceId' | 'issuedBy' | 'issuedAt'>,
  by: { adviceId: string; issuedBy: string; now: Date },
): { ok: true; advice: IgAdvice } | { ok: false; field: string; expected: string } => {
  if (Date.parse(input.expiresAt) <= by.now.getTime())
    return {
      ok: false,
      field: 'body.expiresAt',
      expected: 'a time in the future: the advice must be in force',
    };
  if (
    input.recordings.kind === 'query' &&
    Date.parse(input.recordings.from) > Date.parse(input.recordings.to)
  )
    return { ok: false, field: 'body.recordings.to', expected: 'not before recordings.from' };
  return {
    ok: true,
    advice: { ...input, adviceId: by.adviceId, issuedBy: by.issuedBy, issuedAt: by.now.toISOString() },
  };
};
