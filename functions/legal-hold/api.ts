/** Holds API routes (policy s.7): IG places, lifts, reviews and lists holds. */
import { httpRouter, route } from '../http/router.js';
import { holdParams, liftHoldBody, listHoldsQuery, placeHoldBody, reviewHoldBody } from './schema.js';
import { getHold, type HoldDeps, liftHold, listHolds, placeHold, reviewHold } from './use-cases.js';

export const buildHandler = (deps: HoldDeps) =>
  httpRouter({
    'POST /holds': route({
      body: placeHoldBody,
      run: async ({ body, principal }) => {
        const hold = await placeHold(deps, principal, body);
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
      run: async ({ params, body, principal }) => ({
        status: 200,
        body: await liftHold(deps, principal, params.id, body.reason),
      }),
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
