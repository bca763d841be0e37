/**
 * The playback routes over injected dependencies (handler.ts passes the AWS adapters): search,
 * metadata, playback and download links, deletion, audit reads (policy s.6). Each route validates its
 * input and calls one use case.
 */
import type * as z from 'zod';
import type { AccessAction } from '../domain/access.js';
import type { Principal } from '../domain/roles.js';
import { httpRouter, route } from '../http/router.js';
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

interface RecordingStep<B> {
  readonly correlationId: string;
  readonly recordingId: string;
  readonly body: B;
}

export const playbackRoutes = (deps: PlaybackDeps) => {
  /**
   * A step on one recording (play, download, delete): the path names it, the body says why, and a
   * refused (400) attempt still goes on the audit log (policy s.6: every attempt is recorded).
   */
  const recordingRoute = <B>(
    action: AccessAction,
    body: z.ZodType<B>,
    useCase: (principal: Principal, input: RecordingStep<B>) => Promise<unknown>,
  ) =>
    route({
      params: recordingParams,
      body,
      refused: async ({ principal, correlationId, params }, error) => {
        await auditInvalid(deps, principal, { correlationId, action, recordingId: params.id, error });
      },
      run: async ({ principal, correlationId, params, body }) => ({
        status: 200,
        body: await useCase(principal, { correlationId, recordingId: params.id, body }),
      }),
    });

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
    'POST /recordings/{id}/playback': recordingRoute('playback', playbackBody, (principal, input) =>
      linkUseCase(deps, principal, { ...input, mode: 'playback' }),
    ),
    'POST /recordings/{id}/download': recordingRoute('download', downloadBody, (principal, input) =>
      linkUseCase(deps, principal, { ...input, mode: 'download' }),
    ),
    'DELETE /recordings/{id}': recordingRoute('delete', deleteBody, (principal, input) =>
      deleteUseCase(deps, principal, input),
    ),
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
