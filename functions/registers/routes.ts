/**
 * The registers routes over injected dependencies (handler.ts passes the AWS adapters): service areas
 * and their business cases (s.3), extensions (s.4 d–e), staff awareness notices (s.4 a–c, f), who am I,
 * and the open health check. Each route validates its input and calls one use case; add a register by
 * adding its routes below.
 */
import { httpRouter, route } from '../http/router.js';
import type { RegistersDeps } from '../ports/registers.js';
import type { StaffNoticesDeps } from '../ports/staff-notices.js';
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

export const registersRoutes = (deps: RegistersDeps, staffNotices: StaffNoticesDeps) =>
  httpRouter({
    // GET /health is open: the route table leaves it without an authorizer.
    'GET /health': route({ auth: 'none', run: async () => ({ status: 200, body: { ok: true } }) }),

    'GET /me': route({ run: async ({ principal }) => ({ status: 200, body: meUseCase(principal) }) }),

    // Service areas and their business cases (s.3)
    'GET /service-areas': route({
      query: serviceAreaListQuery,
      run: async ({ principal }) => ({ status: 200, body: await listServiceAreasUseCase(deps, principal) }),
    }),
    'PUT /service-areas/{id}': route<ServiceAreaBody>({
      params: serviceAreaParams,
      body: serviceAreaBody,
      run: async ({ params, body, principal }) => ({
        status: 200,
        body: await putServiceAreaUseCase(deps, principal, { id: params.id as string, body }),
      }),
    }),
    'POST /service-areas/{id}/approve': route({
      params: serviceAreaParams,
      run: async ({ params, principal }) => ({
        status: 200,
        body: await approveServiceAreaUseCase(deps, principal, { id: params.id as string }),
      }),
    }),
    'GET /service-areas/{id}': route({
      params: serviceAreaParams,
      run: async ({ params, principal }) => ({
        status: 200,
        body: await getServiceAreaUseCase(deps, principal, { id: params.id as string }),
      }),
    }),

    // Extensions (s.4 d–e)
    'GET /extensions': route<undefined, ExtensionListQuery>({
      query: extensionListQuery,
      run: async ({ query, principal }) => ({
        status: 200,
        body: await listExtensionsUseCase(deps, principal, query),
      }),
    }),
    'PUT /extensions/{number}': route<ExtensionBody>({
      params: extensionParams,
      body: extensionBody,
      run: async ({ params, body, principal }) => ({
        status: 200,
        body: await putExtensionUseCase(deps, principal, { number: params.number as string, body }),
      }),
    }),
    'GET /extensions/{number}': route({
      params: extensionParams,
      run: async ({ params, principal }) => ({
        status: 200,
        body: await getExtensionUseCase(deps, principal, { number: params.number as string }),
      }),
    }),

    // Staff awareness notices (s.4 a–c, f)
    ...staffNoticeRoutes(staffNotices),
  });
