/** The disclosures routes over injected dependencies (handler.ts passes the AWS adapters). */
import { httpRouter, route } from '../http/router.js';
import type { DisclosuresDeps } from '../ports/disclosures.js';
import type { SarDeps } from '../ports/subject-access.js';
import { sarRoutes } from './sar-routes.js';
import { adviceBody, adviceParams } from './schemas.js';
import { getAdvice, recordAdvice } from './use-cases.js';

export const disclosuresRoutes = (deps: DisclosuresDeps, sar: SarDeps) =>
  httpRouter({
    ...sarRoutes(sar),
    'POST /ig-advice': route({
      body: adviceBody,
      run: async ({ principal, body }) => {
        const advice = await recordAdvice(deps, principal, body);
        return { status: 201, body: advice, headers: { location: `/ig-advice/${advice.adviceId}` } };
      },
    }),
    'GET /ig-advice/{id}': route({
      params: adviceParams,
      run: async ({ principal, params }) => ({
        status: 200,
        body: await getAdvice(deps, principal, params.id),
      }),
    }),
  });
