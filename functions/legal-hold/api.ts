/** Holds API routes (policy s.7): IG places, lifts, reviews and lists holds. */
import { HOLDS_METRIC } from '../../declarations/metrics.js';
import { httpRouter, route } from '../http/router.js';
import { metric } from '../platform/metrics.js';
import { holdParams, liftHoldBody, listHoldsQuery, placeHoldBody, reviewHoldBody } from './schema.js';
import { getHold, type HoldDeps, liftHold, listHolds, placeHold, reviewHold } from './use-cases.js';

export const buildHandler = (deps: HoldDeps) =>
  httpRouter({
    'POST /holds': route({
      body: placeHoldBody,
      run: async ({ body, principal }) => {
        const hold = await placeHold(deps, principal, body);
        metric(HOLDS_METRIC, { action: 'placed' });
        return { status: hold.state === 'complete' ? 201 : 202, body: hold };
      },
    }),
    'GET /holds': route({
      query: listHoldsQuery,
      run: async ({ query, principal }) => ({
        status: 200,
        body: { holds: await listHolds(deps, principal, query.dueForReview === 'true') },
      }),
    }),
    'GET /holds/{id}': route({
      params: holdParams,
      run: async ({ params, principal }) => ({
        status: 200,
        body: await getHold(deps, principal, params.id),
      }),
    }),
    'DELETE /holds/{id}': route({
      params: holdParams,
      body: liftHoldBody,
      run: async ({ params, body, principal }) => {
        const lifted = await liftHold(deps, principal, params.id, body.reason);
        metric(HOLDS_METRIC, { action: 'lifted' });
        return { status: 200, body: lifted };
      },
    }),
    'POST /holds/{id}/review': route({
      params: holdParams,
      body: reviewHoldBody,
      run: async ({ params, body, principal }) => ({
        status: 200,
        body: await reviewHold(deps, principal, params.id, body),
      }),
    }),
  });
