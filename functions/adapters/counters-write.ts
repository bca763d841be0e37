/**
 * The write side of the compliance report's counters (layout in counters-keys.ts): every `count*` function
 * is safe to call again for the same event; every `track*` function writes the current state (a put or a
 * delete), so repeating it changes nothing.
 */

import {
  DeleteCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type ActiveHold,
  type DestinationKind,
  type ExtensionSummary,
  expiryMetrics,
  type HeldRecording,
  type Metrics,
  type OpenCopy,
  quarantineMetrics,
  type RegisteredRecording,
  registrationMetrics,
  releaseMetrics,
  utcDay,
} from '../domain/compliance.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { cancellationReasons, conditionFailedAt } from '../platform/conditions.js';
import { retrying } from '../platform/retry.js';
import type { QuarantineEvent } from '../ports/ingest.js';
import { KEYS, table } from './counters-keys.js';

/** Idempotency markers outlive any retry of the event they guard. */
const MARKER_TTL_SECONDS = 400 * 24 * 60 * 60;
const MAX_ATTEMPTS = 12;

/** The UpdateItem parts that ADD each metric to a counter day. */
export const addMetricsUpdate = (metrics: Metrics) => {
  const names: Record<string, string> = { '#area': 'area', '#day': 'day' };
  const values: Record<string, unknown> = {};
  const adds = Object.entries(metrics).map(([metric, by], i) => {
    names[`#m${i}`] = metric;
    values[`:m${i}`] = by;
    return `#m${i} :m${i}`;
  });
  return { names, values, expression: `SET #area = :area, #day = :day ADD ${adds.join(', ')}` };
};

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * ADDs `metrics` to the area's day once per (event, id): the marker and the ADD commit together.
 * Returns false when the event had already been counted.
 */
const countOnce = async (
  event: string,
  id: string,
  area: string,
  day: string,
  metrics: Metrics,
  alsoPut: Record<string, unknown>[] = [],
  now: Date = new Date(),
): Promise<boolean> => {
  const update = addMetricsUpdate(metrics);
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: {
          ...KEYS.marker(event, id),
          at: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + MARKER_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Update: {
        TableName: table(),
        Key: KEYS.counterDay(area, day),
        UpdateExpression: update.expression,
        ExpressionAttributeNames: update.names,
        ExpressionAttributeValues: { ...update.values, ':area': area, ':day': day },
      },
    },
    ...alsoPut.map((Item) => ({ Put: { TableName: table(), Item } })),
  ];
  const policy = {
    // Another writer touched the same day item at the same moment: try again.
    retryable: (error: unknown) => cancellationReasons(error) !== undefined && !conditionFailedAt(error, 0),
    retries: MAX_ATTEMPTS - 1,
  };
  try {
    await retrying(policy, () =>
      dynamoDocumentClient().send(new TransactWriteCommand({ TransactItems: items })),
    );
    return true;
  } catch (error) {
    // The marker is there: this event was counted before.
    if (conditionFailedAt(error, 0)) return false;
    throw error;
  }
};

/** Ingestion, once a call is registered (POST /uploads accepted, catalogue item PENDING). */
export const countRecordingRegistered = (r: RegisteredRecording): Promise<boolean> =>
  countOnce(
    'registered',
    r.recordingId,
    r.serviceArea,
    utcDay(r.startedAt),
    registrationMetrics(r),
    r.notification.method === 'none'
      ? [
          {
            ...KEYS.unnotified(r.serviceArea, r.startedAt, r.recordingId),
            recordingId: r.recordingId,
            startedAt: new Date(r.startedAt).toISOString(),
            extension: r.extension,
            agentId: r.agentId,
          },
        ]
      : [],
  );

/** Ingestion worker, once audio is moved to quarantine. */
export const countQuarantined = (q: QuarantineEvent): Promise<boolean> =>
  countOnce(
    'quarantined',
    q.subjectId,
    q.serviceArea ?? '_unregistered',
    utcDay(q.startedAt ?? q.at),
    quarantineMetrics(q.reason),
  );

/** Whoever turns a never-uploaded registration to EXPIRED. */
export const countRegistrationExpired = (
  r: Pick<RegisteredRecording, 'recordingId' | 'serviceArea' | 'startedAt'>,
): Promise<boolean> =>
  countOnce('expired', r.recordingId, r.serviceArea, utcDay(r.startedAt), expiryMetrics());

export interface ReleaseEvent {
  readonly releaseId: string;
  /** The recording's own service area. */
  readonly serviceArea: string;
  readonly destinationKind: DestinationKind;
  readonly authoriserId: string;
  readonly approvedAt: string;
}

/** Release workflow, once a release is approved. */
export const countRelease = (r: ReleaseEvent): Promise<boolean> =>
  countOnce(
    'release',
    r.releaseId,
    r.serviceArea,
    utcDay(r.approvedAt),
    releaseMetrics(r.destinationKind, r.authoriserId),
  );

const put = (Item: Record<string, unknown>) =>
  dynamoDocumentClient().send(new PutCommand({ TableName: table(), Item }));
const remove = (Key: Record<string, string>) =>
  dynamoDocumentClient().send(new DeleteCommand({ TableName: table(), Key }));

/** Release workflow, once the released copy is made. */
export const trackReleaseCopyOpened = async (serviceArea: string, copy: OpenCopy): Promise<void> => {
  await put({ ...KEYS.openCopy(serviceArea, copy.releaseId), ...copy });
};

/** Release workflow / copy-expiry sweeper, once the released copy is deleted. */
export const trackReleaseCopyClosed = async (serviceArea: string, releaseId: string): Promise<void> => {
  await remove(KEYS.openCopy(serviceArea, releaseId));
};

/** Holds, on place and on review (same call with the new reviewDue): once per area it covers. */
export const trackHold = async (serviceArea: string, hold: ActiveHold): Promise<void> => {
  await put({ ...KEYS.hold(serviceArea, hold.holdId), ...hold });
};

/** Holds, on lift. */
export const untrackHold = async (serviceArea: string, holdId: string): Promise<void> => {
  await remove(KEYS.hold(serviceArea, holdId));
};

/** Hold worker, when it links a recording to a hold. */
export const trackHeldRecording = async (serviceArea: string, h: HeldRecording): Promise<void> => {
  await put({ ...KEYS.held(serviceArea, h.deleteAfter, h.recordingId, h.holdId), ...h });
};

/** Hold worker, when it unlinks a recording (hold lifted, or the recording deleted). */
export const untrackHeldRecording = async (
  serviceArea: string,
  h: Pick<HeldRecording, 'recordingId' | 'holdId' | 'deleteAfter'>,
): Promise<void> => {
  await remove(KEYS.held(serviceArea, h.deleteAfter, h.recordingId, h.holdId));
};

/** Registers, after an extension is saved; `previousArea` when it moved from another area. */
export const trackExtension = async (
  serviceArea: string,
  e: ExtensionSummary,
  previousArea?: string,
): Promise<void> => {
  await put({
    ...KEYS.extension(serviceArea, e.number),
    number: e.number,
    mode: e.mode,
    marked: e.marked,
    ...(e.pairedUnrecorded ? { pairedUnrecorded: e.pairedUnrecorded } : {}),
  });
  if (previousArea && previousArea !== serviceArea) await remove(KEYS.extension(previousArea, e.number));
};
