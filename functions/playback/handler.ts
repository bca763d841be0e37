/**
 * The playback function: search, metadata, playback and download links, deletion, audit reads (policy
 * s.6). Each route validates its input, builds the context and calls one use case.
 */
import type { AccessAction } from '../domain/access.js';
import type { ValidationError } from '../domain/errors.js';
import { httpRouter, type RouteInput, route } from '../http/router.js';
import { auditExportUseCase, auditQueryUseCase } from './audit-query.js';
import { auditInvalid, configFromEnv, type PlaybackContext } from './context.js';
import { deleteUseCase } from './delete.js';
import { getUseCase } from './get.js';
import { linkUseCase } from './link.js';
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

const config = configFromEnv();

const context = (
  input: Pick<RouteInput<unknown, unknown, unknown>, 'principal' | 'correlationId'>,
): PlaybackContext => ({
  config,
  principal: input.principal,
  correlationId: input.correlationId,
  now: () => new Date(),
});

/** A refused (400) attempt on a recording still goes on the audit log. */
const auditRefused =
  (action: AccessAction) =>
  async (
    input: Pick<RouteInput<unknown, unknown, { id: string }>, 'principal' | 'correlationId' | 'params'>,
    error: ValidationError,
  ) => {
    await auditInvalid(context(input), action, input.params.id, error);
  };

export const handler = httpRouter({
  'GET /recordings': route({
    query: searchQuery,
    run: async (input) => ({ status: 200, body: await searchUseCase(context(input), input.query) }),
  }),
  'GET /recordings/{id}': route({
    params: recordingParams,
    run: async (input) => ({ status: 200, body: await getUseCase(context(input), input.params.id) }),
  }),
  'POST /recordings/{id}/playback': route({
    params: recordingParams,
    body: playbackBody,
    refused: auditRefused('playback'),
    run: async (input) => ({
      status: 200,
      body: await linkUseCase(context(input), 'playback', input.params.id, input.body),
    }),
  }),
  'POST /recordings/{id}/download': route({
    params: recordingParams,
    body: downloadBody,
    refused: auditRefused('download'),
    run: async (input) => ({
      status: 200,
      body: await linkUseCase(context(input), 'download', input.params.id, input.body),
    }),
  }),
  'DELETE /recordings/{id}': route({
    params: recordingParams,
    body: deleteBody,
    refused: auditRefused('delete'),
    run: async (input) => ({
      status: 200,
      body: await deleteUseCase(context(input), input.params.id, input.body),
    }),
  }),
  'GET /audit': route({
    query: auditQueryParams,
    run: async (input) => ({ status: 200, body: await auditQueryUseCase(context(input), input.query) }),
  }),
  'GET /audit/export': route({
    query: auditExportParams,
    run: async (input) => ({ status: 200, body: await auditExportUseCase(context(input), input.query) }),
  }),
});
