/**
 * The playback routes over injected dependencies (handler.ts passes the AWS adapters): search,
 * metadata, playback and download links, deletion, audit reads (policy s.6). Each route validates its
 * input and calls one use case.
 */
import type { AccessAction } from '../domain/access.js';
import type { ValidationError } from '../domain/errors.js';
import { httpRouter, type RouteInput, route } from '../http/router.js';
import { auditExportUseCase, auditQueryUseCase } from './audit-query.js';
import { auditInvalid } from './context.js';
import { deleteUseCase } from './delete.js';
import { getUseCase } from './get.js';
import { linkUseCase } from './link.js';
import type { PlaybackDeps } from './ports.js';
import {
  auditExportParams,
  auditQueryParams,
  deleteBody,
  downloadBody,
  playbackBody,
  recordingParams,
  searchQuery,
} from './schemas.js';
import { searchUseCase } from './search.js';

export const playbackRoutes = (deps: PlaybackDeps) => {
  /** A refused (400) attempt on a recording still goes on the audit log. */
  const auditRefused =
    (action: AccessAction) =>
    async (
      input: Pick<RouteInput<unknown, unknown, { id: string }>, 'principal' | 'correlationId' | 'params'>,
      error: ValidationError,
    ) => {
      await auditInvalid(deps, input.principal, {
        correlationId: input.correlationId,
        action,
        recordingId: input.params.id,
        error,
      });
    };

  return httpRouter({
    'GET /recordings': route({
      query: searchQuery,
      run: async ({ principal, correlationId, query }) => ({
        status: 200,
        body: await searchUseCase(deps, principal, { correlationId, query }),
      }),
    }),
    'GET /recordings/{id}': route({
      params: recordingParams,
      run: async ({ principal, correlationId, params }) => ({
        status: 200,
        body: await getUseCase(deps, principal, { correlationId, recordingId: params.id }),
      }),
    }),
    'POST /recordings/{id}/playback': route({
      params: recordingParams,
      body: playbackBody,
      refused: auditRefused('playback'),
      run: async ({ principal, correlationId, params, body }) => ({
        status: 200,
        body: await linkUseCase(deps, principal, {
          correlationId,
          mode: 'playback',
          recordingId: params.id,
          body,
        }),
      }),
    }),
    'POST /recordings/{id}/download': route({
      params: recordingParams,
      body: downloadBody,
      refused: auditRefused('download'),
      run: async ({ principal, correlationId, params, body }) => ({
        status: 200,
        body: await linkUseCase(deps, principal, {
          correlationId,
          mode: 'download',
          recordingId: params.id,
          body,
        }),
      }),
    }),
    'DELETE /recordings/{id}': route({
      params: recordingParams,
      body: deleteBody,
      refused: auditRefused('delete'),
      run: async ({ principal, correlationId, params, body }) => ({
        status: 200,
        body: await deleteUseCase(deps, principal, { correlationId, recordingId: params.id, body }),
      }),
    }),
    'GET /audit': route({
      query: auditQueryParams,
      run: async ({ principal, correlationId, query }) => ({
        status: 200,
        body: await auditQueryUseCase(deps, principal, { correlationId, query }),
      }),
    }),
    'GET /audit/export': route({
      query: auditExportParams,
      run: async ({ principal, correlationId, query }) => ({
        status: 200,
        body: await auditExportUseCase(deps, principal, { correlationId, query }),
      }),
    }),
  });
};
