/** Ingest API: POST /uploads registers a call and presigns its upload; GET /uploads/{callId} reports progress. */
import { httpRouter, route } from '../http/router.js';
import type { IngestApiDeps } from '../ports/ingest.js';
import { awsIngestApiDeps } from './api-deps.js';
import { registerCall } from './register-call.js';
import { callIdParams, type UploadBody, uploadBody } from './schema.js';
import { uploadStatus } from './upload-status.js';

/** The routes over any wiring of the ports (unit tests pass in-memory fakes). */
export const ingestApiHandler = (deps: IngestApiDeps) =>
  httpRouter({
    'POST /uploads': route<UploadBody>({
      body: uploadBody,
      run: async ({ body, principal }) => ({ status: 201, body: await registerCall(deps, principal, body) }),
    }),
    'GET /uploads/{callId}': route({
      params: callIdParams,
      run: async ({ params, principal }) => ({
        status: 200,
        body: await uploadStatus(deps, principal, { callId: params.callId }),
      }),
    }),
  });

export const handler = ingestApiHandler(awsIngestApiDeps());
