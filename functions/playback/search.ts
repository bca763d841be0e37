/**
 * GET /recordings. Steps: work out the service areas the caller may search (listener or nominated);
 * refuse (audited) a named area outside them; pick the index; pseudonymise a caller number with the
 * ingest HMAC; build the query (a bad cursor is a 400 before anything is written); audit; query.
 */
import { recordingQuery, searchRecordings } from '../adapters/catalogue-store.js';
import { pseudonymiseNumber } from '../adapters/pseudonymise.js';
import { ACCESS_RULES, searchableAreas } from '../domain/access.js';
import { ForbiddenError, ValidationError } from '../domain/errors.js';
import { audit, authorise, type PlaybackContext } from './context.js';
import type { SearchQuery } from './schemas.js';
import { recordingSummary } from './views.js';

export const searchUseCase = async (ctx: PlaybackContext, q: SearchQuery) => {
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
  const areas = searchableAreas(ctx.principal);
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
  const query = recordingQuery({
    areas,
    serviceArea,
    callerHash: q.caller ? await pseudonymiseNumber(q.caller) : undefined,
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
  const page = await searchRecordings(query);
  return { items: page.items.map(recordingSummary), cursor: page.cursor };
};
