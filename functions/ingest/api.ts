/** Ingest API: POST /uploads registers a call and presigns its upload; GET /uploads/{callId} reports progress. */
import { httpRouter, route } from '../http/router.js';
import { ingestConfigFromEnv } from './config.js';
import { registerCall } from './register-call.js';
import { callIdParams, type UploadBody, uploadBody } from './schema.js';
import { uploadStatus } from './upload-status.js';

const config = ingestConfigFromEnv();

export const handler = httpRouter({
  'POST /uploads': route<UploadBody>({
    body: uploadBody,
    run: async ({ body, principal }) => ({ status: 201, body: await registerCall(body, principal, config) }),
  }),
  'GET /uploads/{callId}': route({
    params: callIdParams,
    run: async ({ params, principal }) => ({
      status: 200,
      body: await uploadStatus(params.callId, principal),
    }),
  }),
});
