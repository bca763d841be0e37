/**
 * Every answer of the API that is not a success, as a sentence a member of staff understands: what
 * happened, why (the API's own reason), and the clause of the Call Recording Policy it applied. A 500
 * shows the correlation id to quote to the service desk. Never raw JSON.
 */
export interface ApiErrorBody {
  readonly error?: string;
  readonly message?: string;
  readonly rule?: string;
  readonly field?: string;
  readonly issues?: readonly { field: string; message: string }[];
  readonly correlationId?: string;
}

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly clause?: string;
  readonly correlationId?: string;
  readonly fields?: readonly { field: string; message: string }[];
}

/** Plain words for the refusals staff meet most; any other rule shows the API's reason. */
const PLAIN: Readonly<Record<string, string>> = {
  's7.no-deletion-under-hold': 'This recording is held by Information Governance, so it cannot be deleted.',
  's7.retain-12-months':
    'Recordings are kept for 12 months from the call, so this one cannot be deleted yet.',
  's7.object-locked': 'The recording is still locked in the archive, so it cannot be deleted yet.',
  's6.nominated-staff-only':
    'Only nominated staff of the service area may download, copy or delete recordings.',
  's6.nominated-delete': 'Only nominated staff of the service area may delete recordings.',
  's6.playback-within-service-area': "Only staff of the recording's own service area may hear it.",
  's6.no-self-approval': 'You cannot approve or reject your own request.',
  's6.other-purpose-needs-ig-advice':
    'A purpose other than the five agreed ones needs Corporate IG advice first.',
  's6.accountable-access':
    'Only Information Governance and the Release of Recording Log keeper read the audit log.',
  's6.holds-by-information-governance': 'Only Information Governance officers manage holds.',
  's7.holds-by-information-governance': 'Only Information Governance officers manage holds.',
  's6.requester-needs-grant':
    'You can ask for a release only to a service area you work in yourself (or, to an external agency, of a recording of your own area).',
  's6.ig-advice-required': 'This needs Corporate IG advice on record that covers it.',
  's6.requester-only': 'Only the person who asked for the release may download or delete its copy.',
};

/** `s6.nominated-staff-only` → "Call Recording Policy, section 6 (rule s6.nominated-staff-only)". */
export const clauseOf = (rule: string | undefined): string | undefined => {
  if (!rule) return undefined;
  const section = /^s(\d+)\./.exec(rule)?.[1];
  return section ? `Call Recording Policy, section ${section} (rule ${rule})` : `Council rule ${rule}`;
};

const sentence = (s: string): string => {
  const t = s.trim();
  if (!t) return t;
  const capital = t[0]?.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export const problemFrom = (
  status: number,
  body: ApiErrorBody | undefined,
  correlationId?: string,
): Problem => {
  const id = body?.correlationId ?? correlationId;
  if (status >= 500 || !body) {
    return {
      status,
      title: 'Sorry, there is a problem with the service',
      detail:
        status === 503
          ? 'The service did not answer in time. Try again in a few minutes.'
          : 'Try again later.',
      correlationId: id,
    };
  }
  if (status === 401)
    return {
      status,
      title: 'You need to sign in again',
      detail: 'Your session has ended. Sign in to carry on.',
    };
  if (status === 400)
    return {
      status,
      title: 'There is a problem',
      detail: sentence(body.message ?? 'Check what you entered.'),
      fields: body.issues ?? (body.field ? [{ field: body.field, message: body.message ?? '' }] : []),
    };
  if (status === 404)
    return { status, title: 'Not found', detail: sentence(body.message ?? 'It does not exist.') };
  if (status === 409)
    return { status, title: 'That has already changed', detail: sentence(body.message ?? '') };
  const plain = body.rule ? PLAIN[body.rule] : undefined;
  return {
    status,
    title: status === 403 ? 'You cannot do this' : 'The policy does not allow this',
    detail: plain ? `${plain} ${sentence(body.message ?? '')}`.trim() : sentence(body.message ?? ''),
    clause: clauseOf(body.rule),
    correlationId: undefined,
  };
};
