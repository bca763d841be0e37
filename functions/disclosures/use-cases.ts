/**
 * Disclosure use cases (policy s.6, DPA 2018). IG advice: an IG officer records it; the officers who act
 * on it (approvers of releases, the log keeper) read it. Release and playback check cited advice through
 * `requireAdvice`, so every use that needs advice is decided by the same rule (functions/domain/ig-advice).
 */
import { EXTERNAL_RELEASE_APPROVERS, INTERNAL_RELEASE_CORPORATE_APPROVERS } from '../domain/approvers.js';
import { ForbiddenError, NotFoundError, PolicyRefusalError, ValidationError } from '../domain/errors.js';
import { type AdviceQuestion, checkAdvice, type IgAdvice, newAdvice } from '../domain/ig-advice.js';
import { type CorporateRole, hasAnyRole, hasRole, type Principal } from '../domain/roles.js';
import type { AdviceLookup, DisclosuresDeps } from '../ports/disclosures.js';
import type { AdviceBody } from './schemas.js';

/** Who may read advice: IG, the log keeper, and every corporate officer who may approve a release. */
const ADVICE_READERS: readonly CorporateRole[] = [
  'ig-officer',
  'release-log-keeper',
  ...new Set([...INTERNAL_RELEASE_CORPORATE_APPROVERS, ...EXTERNAL_RELEASE_APPROVERS]),
];

export const recordAdvice = async (
  deps: DisclosuresDeps,
  principal: Principal,
  input: AdviceBody,
): Promise<IgAdvice> => {
  if (!hasRole(principal, 'ig-officer'))
    throw new ForbiddenError(
      's6.ig-advice-by-ig',
      'IG advice is recorded by the Corporate Information Governance Unit (role ig-officer)',
    );
  const made = newAdvice(input, { adviceId: deps.newId(), issuedBy: principal.staffId, now: deps.now() });
  if (!made.ok) throw new ValidationError(made.field, made.expected);
  await deps.advice.create(made.advice);
  return made.advice;
};

export const getAdvice = async (
  deps: DisclosuresDeps,
  principal: Principal,
  adviceId: string,
): Promise<IgAdvice> => {
  if (!hasAnyRole(principal, ADVICE_READERS))
    throw new ForbiddenError(
      's6.ig-advice-readers',
      'IG advice is read by IG officers, the Release of Recording Log keeper and the officers who approve releases',
    );
  const advice = await deps.advice.get(adviceId);
  if (!advice) throw new NotFoundError(`IG advice ${adviceId}`);
  return advice;
};

/**
 * The advice cited for a use that needs it, when it exists, is in force and covers this recording,
 * purpose and use; otherwise a 422 naming the rule (s6.ig-advice-required / -expired / -not-covering).
 */
export const requireAdvice = async (
  lookup: AdviceLookup,
  citedId: string | undefined,
  question: AdviceQuestion,
  now: Date,
): Promise<IgAdvice> => {
  const advice = citedId ? await lookup.get(citedId) : undefined;
  const decision = checkAdvice(citedId, advice, question, now);
  if (!decision.ok) throw new PolicyRefusalError(decision.rule, decision.reason);
  return decision.advice;
};
