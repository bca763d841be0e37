/**
 * What each route answers when it succeeds: status, and the shape of the body (zod, so the document is
 * generated like the request side). Objects are open (`looseObject`): a new field is not a breaking
 * change, a missing or mistyped documented field is. Every route of declarations/routes.ts needs an
 * entry here — the generator refuses to write a document without one, naming the route.
 *
 * Error answers are not listed per route: every route shares the one error shape (openapi/document.ts).
 */
import * as z from 'zod';

const id = z.string().min(1);
const time = z.string().min(1).meta({ description: 'ISO 8601 date-time' });
const cursor = z.string().optional().meta({ description: 'Opaque: pass back as `cursor` for the next page' });

export interface SuccessResponse {
  readonly description: string;
  /** JSON body (omit for an empty body). */
  readonly schema?: z.ZodType;
  /** Other content types the route can answer with instead of JSON (e.g. CSV). */
  readonly alternatives?: readonly string[];
}

export type RouteResponses = Readonly<Record<number, SuccessResponse>>;

const recordingSummary = z.looseObject({
  recordingId: id,
  serviceArea: id,
  extension: z.string(),
  direction: z.string(),
  startedAt: time,
  status: z.string(),
  holdCount: z.number().int(),
  caller: z
    .string()
    .optional()
    .meta({ description: "'withheld' or the last three digits (…123); never the number" }),
});

const serviceArea = z.looseObject({ id });
const extension = z.looseObject({ number: z.string(), serviceArea: id });

const release = z.looseObject({
  releaseId: id,
  recordingId: id,
  recordingServiceArea: id,
  destination: z.looseObject({ kind: z.enum(['service-area', 'external-agency']) }),
  purpose: z.looseObject({ purpose: z.string() }),
  justification: z.string(),
  requesterId: id,
  state: z.string(),
  version: z.number().int(),
  createdAt: time,
  updatedAt: time,
});

const hold = z.looseObject({
  holdId: id,
  caseRef: z.string(),
  reason: z.string(),
  reviewDate: z.string(),
  status: z.enum(['ACTIVE', 'LIFTED']),
  placedBy: id,
  placedAt: time,
  scopeResolved: z.boolean(),
  progress: z.looseObject({
    matched: z.number().int(),
    applied: z.number().int(),
    failed: z.number().int(),
    released: z.number().int(),
  }),
});

const chainEntry = z.looseObject({ seq: z.number().int(), at: time, prevHash: z.string(), hash: z.string() });

const link = z.looseObject({
  recordingId: id,
  url: z.string().url(),
  method: z.literal('GET'),
  expiresAt: time,
  auditSeq: z.number().int(),
});

const upload = z.looseObject({
  recordingId: id,
  callId: id,
  status: z.string(),
  complianceFlags: z.array(z.string()),
  upload: z.looseObject({ url: z.string().url() }),
});

const report = z.looseObject({});

const ok = (description: string, schema?: z.ZodType): RouteResponses => ({ 200: { description, schema } });

const subjectAccessRequest = z.looseObject({
  sarId: id,
  state: z.enum(['OPEN', 'CLOSED']),
  receivedOn: z.string().meta({ description: 'YYYY-MM-DD' }),
  dueDate: z.string().meta({ description: 'YYYY-MM-DD: one calendar month from receipt, or as extended' }),
  callers: z.array(z.looseObject({ last3: z.string() })),
  from: time,
  to: time,
  recordings: z.array(
    z.looseObject({
      recordingId: id,
      serviceArea: id,
      startedAt: time,
      mark: z.looseObject({ decision: z.enum(['disclose', 'withhold', 'third-party-review']) }).optional(),
    }),
  ),
  version: z.number().int(),
});

const sarPackageLinks = z.looseObject({
  packageId: id,
  files: z.array(z.looseObject({ name: z.string(), url: z.string() })),
  linkExpiresAt: time,
  packageExpiresAt: time,
});

const sarSummary = z.looseObject({ sarId: id, receivedOn: z.string(), dueDate: z.string() });

export const RESPONSES: Readonly<Record<string, RouteResponses>> = {
  'GET /health': {
    200: { description: 'The API is up', schema: z.looseObject({ status: z.string() }) },
    503: {
      description: 'A component is down (the body names it)',
      schema: z.looseObject({ status: z.string() }),
    },
  },
  'GET /service-areas': ok(
    'The service areas the caller may read, by id, each with its business-case state',
    z.looseObject({
      serviceAreas: z.union([z.literal('all'), z.array(z.string())]),
      items: z.array(
        serviceArea.extend({
          name: z.string(),
          status: z.enum(['approved', 'incomplete']),
          missing: z.array(z.string()),
        }),
      ),
    }),
  ),
  'GET /extensions': ok(
    "One page of a service area's recorded-extensions register, by number",
    z.looseObject({
      serviceArea: id,
      items: z.array(
        z.looseObject({
          number: z.string(),
          mode: z.enum(['always', 'on-demand', 'never']),
          marked: z.boolean(),
          pairedUnrecorded: z.string().optional(),
        }),
      ),
      cursor,
    }),
  ),
  'PUT /service-areas/{id}': ok('The service area as stored', serviceArea),
  'GET /service-areas/{id}': ok('The service area and its business case', serviceArea),
  'PUT /extensions/{number}': ok('The extension as stored', extension),
  'GET /extensions/{number}': ok('The extension', extension),
  'POST /staff-notices': {
    201: { description: 'Notice recorded', schema: z.looseObject({ created: z.literal(true) }) },
    200: {
      description: 'The same notice was already recorded',
      schema: z.looseObject({ created: z.boolean() }),
    },
  },
  'GET /staff-notices/due': ok(
    'Staff whose awareness notice is due',
    z.looseObject({ serviceAreas: z.union([z.literal('all'), z.array(z.string())]) }),
  ),
  'POST /uploads': {
    201: { description: 'Call registered; upload the audio to `upload.url`', schema: upload },
    200: { description: 'The same call was already registered (idempotent retry)', schema: upload },
  },
  'GET /uploads/{callId}': ok(
    'Where the upload is: registered, archived or quarantined (with the reason)',
    z.looseObject({
      callId: id,
      recordingId: id,
      status: z.string(),
      statusAt: time,
      registeredAt: time,
      quarantine: z.looseObject({ reason: z.string(), detail: z.string() }).optional(),
    }),
  ),
  'GET /recordings': ok('A page of recordings', z.looseObject({ items: z.array(recordingSummary), cursor })),
  'GET /recordings/{id}': ok('One recording (metadata; never audio)', recordingSummary),
  'POST /recordings/{id}/playback': ok('A short-lived link to stream the audio (audited)', link),
  'POST /recordings/{id}/download': ok('A short-lived link to download the audio (audited)', link),
  'DELETE /recordings/{id}': ok(
    'Deleted, with the deletion certificate',
    z.looseObject({ recordingId: id, status: z.literal('DELETED'), deletion: z.looseObject({}) }),
  ),
  'GET /audit': ok('A page of the access audit log', z.looseObject({ entries: z.array(chainEntry), cursor })),
  'POST /releases': { 201: { description: 'Release requested', schema: release } },
  'GET /releases': ok('Releases visible to the caller', z.looseObject({ releases: z.array(release) })),
  'GET /releases/{id}': ok('One release', release),
  'POST /releases/{id}/approve': ok('Approved', release),
  'POST /releases/{id}/reject': ok('Rejected', release),
  'GET /releases/{id}/link': ok(
    'A short-lived link to the released copy',
    z.looseObject({ url: z.string().url() }),
  ),
  'POST /releases/{id}/complete': ok('Completed', release),
  'GET /release-log': {
    200: {
      description: 'The Release of Recording Log (JSON, or CSV with `format=csv` / `Accept: text/csv`)',
      schema: z.looseObject({ format: z.literal('crs-release-log/1'), entries: z.array(chainEntry) }),
      alternatives: ['text/csv'],
    },
  },
  'GET /release-log/public-key': ok(
    'The key that signs the log checkpoints',
    z.looseObject({
      keyId: z.string(),
      keySpec: z.string(),
      algorithm: z.string(),
      publicKeyPem: z.string(),
    }),
  ),
  'POST /holds': {
    201: { description: 'Hold placed on every recording in scope', schema: hold },
    202: { description: 'Hold placed; recordings in scope are being held in the background', schema: hold },
  },
  'GET /holds': ok('Holds', z.looseObject({ holds: z.array(hold) })),
  'GET /holds/{id}': ok('One hold', hold),
  'DELETE /holds/{id}': ok('Hold lifted', hold),
  'POST /holds/{id}/review': ok('Review recorded', hold),
  'GET /reports/deletions': {
    200: { description: 'Deletions report', schema: report, alternatives: ['text/csv'] },
  },
  'GET /reports/retention': {
    200: { description: 'Retention report', schema: report, alternatives: ['text/csv'] },
  },
  'GET /reports/compliance': ok('Compliance report', report),
  // Routes added by other slices: success answers documented loosely until their owners tighten them.
  'GET /audit/export': ok('The access audit log for export, with its chain evidence', z.looseObject({})),
  'GET /me': ok('The caller as the API sees them (principal)', z.looseObject({})),
  'POST /service-areas/{id}/approve': ok('The service area with its business case approved', serviceArea),
  'POST /ig-advice': {
    201: { description: 'IG advice recorded', schema: z.looseObject({}) },
    200: { description: 'The same advice was already recorded', schema: z.looseObject({}) },
  },
  'GET /ig-advice/{id}': ok('One piece of IG advice', z.looseObject({})),
  'POST /subject-access-requests': {
    201: { description: 'The request, opened, with its statutory due date', schema: subjectAccessRequest },
  },
  'GET /subject-access-requests/{id}': ok('One subject access request', subjectAccessRequest),
  'POST /subject-access-requests/{id}/extend': ok(
    'The request with its extended due date',
    subjectAccessRequest,
  ),
  'POST /subject-access-requests/{id}/search': ok(
    "The request with every recording of the caller's number(s) found, in every service area",
    subjectAccessRequest,
  ),
  'PUT /subject-access-requests/{id}/recordings/{recordingId}': ok(
    'The request with the decision on that recording',
    subjectAccessRequest,
  ),
  'POST /subject-access-requests/{id}/recordings/{recordingId}/playback': ok(
    'A short-lived link to listen to a recording the request found',
    z.looseObject({ url: z.string(), expiresAt: time }),
  ),
  'POST /subject-access-requests/{id}/package': {
    201: {
      description: 'The package of the disclosed recordings, with a link to each file',
      schema: sarPackageLinks.extend({ request: subjectAccessRequest }),
    },
  },
  'GET /subject-access-requests/{id}/package/link': ok('Fresh links to the package files', sarPackageLinks),
  'POST /subject-access-requests/{id}/close': ok('The request, closed', subjectAccessRequest),
  'GET /reports/subject-access': ok(
    'Open requests by due date, overdue requests, requests closed per month',
    z.looseObject({
      today: z.string(),
      open: z.array(sarSummary),
      overdue: z.array(sarSummary),
      closedPerMonth: z.array(
        z.looseObject({ month: z.string(), closed: z.number().int(), closedLate: z.number().int() }),
      ),
    }),
  ),
};
