/**
 * Registers API. One use-case module per register; add a register by adding its routes below.
 * GET /health is open (the route table leaves it without an authorizer).
 */
import { httpRouter, route } from '../http/router.js';
import { staffNoticeRoutes } from '../staff-notices/routes.js';
import { getExtensionUseCase, listExtensionsUseCase, putExtensionUseCase } from './extensions.js';
import { meUseCase } from './me.js';
import {
  type ExtensionBody,
  type ExtensionListQuery,
  extensionBody,
  extensionListQuery,
  extensionParams,
  type ServiceAreaBody,
  serviceAreaBody,
  serviceAreaListQuery,
  serviceAreaParams,
} from './schema.js';
import {
  approveServiceAreaUseCase,
  getServiceAreaUseCase,
  listServiceAreasUseCase,
  putServiceAreaUseCase,
} from './service-areas.js';

export const routes = {
  'GET /health': route({ auth: 'none', run: async () => ({ status: 200, body: { ok: true } }) }),

  'GET /me': route({ run: async ({ principal }) => ({ status: 200, body: meUseCase(principal) }) }),

  // Service areas and their business cases (s.3)
  'GET /service-areas': route({
    query: serviceAreaListQuery,
    run: async ({ principal }) => ({ status: 200, body: await listServiceAreasUseCase(principal) }),
  }),
  'PUT /service-areas/{id}': route<ServiceAreaBody>({
    params: serviceAreaParams,
    body: serviceAreaBody,
    run: async ({ params, body, principal }) => ({
      status: 200,
      body: await putServiceAreaUseCase(params.id as string, body, principal),
    }),
  }),
  'POST /service-areas/{id}/approve': route({
    params: serviceAreaParams,
    run: async ({ params, principal }) => ({
      status: 200,
      body: await approveServiceAreaUseCase(params.id as string, principal),
    }),
  }),
  'GET /service-areas/{id}': route({
    params: serviceAreaParams,
    run: async ({ params, principal }) => ({
      status: 200,
      body: await getServiceAreaUseCase(params.id as string, principal),
    }),
  }),

  // Extensions (s.4 d–e)
  'GET /extensions': route<undefined, ExtensionListQuery>({
    query: extensionListQuery,
    run: async ({ query, principal }) => ({
      status: 200,
      body: await listExtensionsUseCase(query, principal),
    }),
  }),
  'PUT /extensions/{number}': route<ExtensionBody>({
    params: extensionParams,
    body: extensionBody,
    run: async ({ params, body, principal }) => ({
      status: 200,
      body: await putExtensionUseCase(params.number as string, body, principal),
    }),
  }),
  'GET /extensions/{number}': route({
    params: extensionParams,
    run: async ({ params, principal }) => ({
      status: 200,
      body: await getExtensionUseCase(params.number as string, principal),
    }),
  }),

  // Staff awareness notices (s.4 a–c, f)
  ...staffNoticeRoutes,
};

export const handler = httpRouter(routes);
