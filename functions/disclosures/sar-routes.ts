/** The subject access request routes over injected dependencies (handler.ts passes the AWS adapters). */
import { type AnyRoute, route } from '../http/router.js';
import type { SarDeps } from '../ports/subject-access.js';
import {
  closeBody,
  extendBody,
  markBody,
  openBody,
  reportQuery,
  sarParams,
  sarRecordingParams,
} from './sar-schemas.js';
import {
  closeRequest,
  extendRequest,
  getRequest,
  markRequestRecording,
  openRequest,
  packageRequest,
  playRequestRecording,
  requestPackageLinks,
  searchRequest,
  subjectAccessReport,
} from './sar-use-cases.js';

export const sarRoutes = (deps: SarDeps): Record<string, AnyRoute> => ({
  'POST /subject-access-requests': route({
    body: openBody,
    run: async ({ principal, body }) => {
      const sar = await openRequest(deps, principal, body);
      return { status: 201, body: sar, headers: { location: `/subject-access-requests/${sar.sarId}` } };
    },
  }),
  'GET /subject-access-requests/{id}': route({
    params: sarParams,
    run: async ({ principal, params }) => ({
      status: 200,
      body: await getRequest(deps, principal, { sarId: params.id }),
    }),
  }),
  'POST /subject-access-requests/{id}/extend': route({
    params: sarParams,
    body: extendBody,
    run: async ({ principal, params, body }) => ({
      status: 200,
      body: await extendRequest(deps, principal, { sarId: params.id, ...body }),
    }),
  }),
  'POST /subject-access-requests/{id}/search': route({
    params: sarParams,
    run: async ({ principal, params, correlationId }) => ({
      status: 200,
      body: await searchRequest(deps, principal, { sarId: params.id, correlationId }),
    }),
  }),
  'PUT /subject-access-requests/{id}/recordings/{recordingId}': route({
    params: sarRecordingParams,
    body: markBody,
    run: async ({ principal, params, body, correlationId }) => ({
      status: 200,
      body: await markRequestRecording(deps, principal, {
        sarId: params.id,
        recordingId: params.recordingId,
        mark: body,
        correlationId,
      }),
    }),
  }),
  'POST /subject-access-requests/{id}/recordings/{recordingId}/playback': route({
    params: sarRecordingParams,
    run: async ({ principal, params, correlationId }) => ({
      status: 200,
      body: await playRequestRecording(deps, principal, {
        sarId: params.id,
        recordingId: params.recordingId,
        correlationId,
      }),
    }),
  }),
  'POST /subject-access-requests/{id}/package': route({
    params: sarParams,
    run: async ({ principal, params, correlationId }) => ({
      status: 201,
      body: await packageRequest(deps, principal, { sarId: params.id, correlationId }),
    }),
  }),
  'GET /subject-access-requests/{id}/package/link': route({
    params: sarParams,
    run: async ({ principal, params, correlationId }) => ({
      status: 200,
      body: await requestPackageLinks(deps, principal, { sarId: params.id, correlationId }),
    }),
  }),
  'POST /subject-access-requests/{id}/close': route({
    params: sarParams,
    body: closeBody,
    run: async ({ principal, params, body }) => ({
      status: 200,
      body: await closeRequest(deps, principal, { sarId: params.id, note: body.note }),
    }),
  }),
  'GET /reports/subject-access': route({
    query: reportQuery,
    run: async ({ principal, query }) => ({
      status: 200,
      body: await subjectAccessReport(deps, principal, { months: query.months }),
    }),
  }),
});
