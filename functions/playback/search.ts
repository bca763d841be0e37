/**
 * GET /recordings. Steps: work out the service areas the caller may search (listener or nominated);
 * refuse (audited) a named area outside them; pick the index; pseudonymise a caller number with the
 * ingest HMAC; build the query (a bad cursor is a 400 before anything is written); audit; query.
 */
import { ACCESS_RULES, searchableAreas } from '../domain/access.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import type { Principal } from '../domain/roles.js';
import { audit, authorise, type Correlated, requestContext } from './context.js';
import type { PlaybackDeps } from './ports.js';
import type { SearchQuery } from './schemas.js';
import { recordingSummary } from './views.js';

export const searchUseCase = async (
  deps: PlaybackDeps,
  principal: Principal,
  input: Correlated & { query: SearchQuery },
) => {
  const ctx = requestContext(deps, principal, input);
  const q = input.query;
  const filters = Object.fromEntries(
    Object.entries({
      serviceArea: q.serviceArea,
      from: q.from,
      to: q.to,
      extension: q.extension,
      agent: q.agent,
      status: q.status,
      // Never the clear number in the log: its last three digits say enough to the reader.
      caller: q.caller ? `…${q.caller.slice(-3)}` : undefined,
    }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  const areas = searchableAreas(principal);
  if (q.serviceArea) {
    await authorise(ctx, 'search', { serviceArea: q.serviceArea }, { filters });
  } else if (areas.length === 0) {
    const rule = ACCESS_RULES.search;
    await audit(ctx, { action: 'search', filters, outcome: 'denied', rule: rule.rule });
    throw new ForbiddenError(rule.rule, rule.refusal);
  }
  const indexed = q.caller !== undefined || q.extension !== undefined || q.agent !== undefined;
  const serviceArea = q.serviceArea ?? (!indexed && areas.length === 1 ? areas[0] : undefined);
  if (!indexed && !serviceArea) {
    throw new ValidationError(
      'query.serviceArea',
      `required unless caller, extension or agent is given: you hold grants in ${areas.join(', ')}`,
    );
  }
  const search = deps.catalogue.prepareSearch({
    areas,
    serviceArea,
    callerHash: q.caller ? await deps.pseudonymise(q.caller) : undefined,
    extension: q.extension,
    agentId: q.agent,
    status: q.status,
    from: q.from,
    to: q.to,
    limit: q.limit,
    cursor: q.cursor,
  });
  await audit(ctx, {
    action: 'search',
    serviceArea,
    filters,
    outcome: 'allowed',
    rule: ACCESS_RULES.search.rule,
  });
  const page = await search();
  return { items: page.items.map(recordingSummary), cursor: page.cursor };
};
