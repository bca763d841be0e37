/** The release routes over injected dependencies (handler.ts passes the AWS adapters). */

import { toCsv } from '../domain/release-log-format.js';
import { httpRouter, route } from '../http/router.js';
import type { ReleaseDeps } from '../ports/release.js';
import { listQuery, logQuery, rejectBody, releaseParams, requestBody } from './schemas.js';
import {
  approveRelease,
  completeRelease,
  getRelease,
  issueReleaseLink,
  rejectRelease,
  requestRelease,
} from './use-cases-lifecycle.js';
import { listReleases } from './use-cases-listing.js';
import { readReleaseLog, releaseLogPublicKey } from './use-cases-log.js';

const wantsCsv = (accept: string | undefined, format: string | undefined): boolean =>
  format === 'csv' || (format === undefined && (accept ?? '').includes('text/csv'));

/** Where the next page of the full export is: the cursor, and a link that keeps format and limit. */
const nextPageHeaders = (cursor: string, csv: boolean, limit: number | undefined): Record<string, string> => {
  const query = new URLSearchParams({
    ...(csv ? { format: 'csv' } : {}),
    ...(limit === undefined ? {} : { limit: String(limit) }),
    cursor,
  });
  return { 'x-next-cursor': cursor, link: `</release-log?${query}>; rel="next"` };
};

export const releaseRoutes = (deps: ReleaseDeps) =>
  httpRouter({
    'POST /releases': route({
      body: requestBody,
      run: async ({ principal, body }) => {
        const { igAdviceRef, purpose, ...rest } = body;
        const release = await requestRelease(deps, principal, { ...rest, purpose: { purpose, igAdviceRef } });
        return { status: 201, body: release, headers: { location: `/releases/${release.releaseId}` } };
      },
    }),
    'GET /releases': route({
      query: listQuery,
      run: async ({ principal, query }) => {
        const { decidable, ...filter } = query;
        const releases = await listReleases(
          deps,
          principal,
          { ...filter, decidable: decidable === 'true' },
          query.limit,
        );
        return { status: 200, body: { releases } };
      },
    }),
    'GET /releases/{id}': route({
      params: releaseParams,
      run: async ({ principal, params }) => ({
        status: 200,
        body: await getRelease(deps, principal, params.id),
      }),
    }),
    'POST /releases/{id}/approve': route({
      params: releaseParams,
      run: async ({ principal, params }) => ({
        status: 200,
        body: await approveRelease(deps, principal, params.id),
      }),
    }),
    'POST /releases/{id}/reject': route({
      params: releaseParams,
      body: rejectBody,
      run: async ({ principal, params, body }) => ({
        status: 200,
        body: await rejectRelease(deps, principal, params.id, body.reason),
      }),
    }),
    'GET /releases/{id}/link': route({
      params: releaseParams,
      run: async ({ principal, params, correlationId }) => ({
        status: 200,
        body: await issueReleaseLink(deps, principal, params.id, correlationId),
      }),
    }),
    'POST /releases/{id}/complete': route({
      params: releaseParams,
      run: async ({ principal, params }) => ({
        status: 200,
        body: await completeRelease(deps, principal, params.id),
      }),
    }),
    'GET /release-log': route({
      query: logQuery,
      run: async ({ principal, query, headers, correlationId }) => {
        const { format, limit, cursor, ...filter } = query;
        const log = await readReleaseLog(deps, principal, filter, { limit, cursor }, correlationId);
        const csv = wantsCsv(headers.accept, format);
        const next = 'cursor' in log && log.cursor ? nextPageHeaders(log.cursor, csv, limit) : {};
        if (csv)
          return {
            status: 200,
            text: {
              contentType: 'text/csv; charset=utf-8',
              content: toCsv(log.entries, log.checkpoints, log.anchored),
            },
            headers: {
              'content-disposition': 'attachment; filename="release-of-recording-log.csv"',
              ...next,
            },
          };
        return { status: 200, body: { format: 'crs-release-log/1', ...log }, headers: next };
      },
    }),
    'GET /release-log/public-key': route({
      run: async () => ({ status: 200, body: await releaseLogPublicKey(deps) }),
    }),
  });
