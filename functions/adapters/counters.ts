/**
 * Pre-aggregated counters and small indexed lists for the compliance report, kept current at write
 * time by the code that changes the facts (ingestion, releases, holds, registers). The report then reads
 * only by key — one Query per section, sized by the answer — and never scans.
 *
 * Items in the registers table (pk / sk):
 *   COUNT#<area>        D#<yyyy-mm-dd>                         one item per area and day; each metric an
 *                                                              attribute kept with an atomic ADD
 *   COUNTED#<event>#<id> -                                     idempotency marker (TTL `expiresAt`), written
 *                                                              in the same transaction as the ADD, so a
 *                                                              repeated event (S3 at-least-once) counts once
 *   UNNOTIFIED#<area>   <startedAt>#<recordingId>              calls with notification method `none` (s.5)
 *   OPENCOPY#<area>     <releaseId>                            release copies not yet deleted (s.6)
 *   HOLD#<area>         <holdId>                               active holds covering the area's recordings
 *   HELD#<area>         <deleteAfter>#<recordingId>#<holdId>   held recordings by 24-month point (s.7)
 *   EXTS#<area>         <number>                               the area's extensions as registered (s.4 d–e)
 *
 * Every `count*` function is safe to call again for the same event; every `track*` function writes the
 * current state (a put or a delete), so repeating it changes nothing.
 */
import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
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
  type UnnotifiedRecording,
  utcDay,
} from '../domain/compliance.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { cancellationReasons, conditionFailedAt } from '../platform/conditions.js';
import { tableName } from '../platform/env.js';
import { decodeCursor, encodeCursor } from '../platform/page-cursor.js';
import { queryAll as queryAllItems } from '../platform/query-all.js';
import { retrying } from '../platform/retry.js';
import type { QuarantineEvent } from '../ports/ingest.js';

/** Idempotency markers outlive any retry of the event they guard. */
const MARKER_TTL_SECONDS = 400 * 24 * 60 * 60;
const MAX_ATTEMPTS = 12;
/** Attributes of a counter day item that are not metrics. */
const DAY_KEYS = new Set(['pk', 'sk', 'area', 'day']);

export const KEYS = {
  counterDay: (area: string, day: string) => ({ pk: `COUNT#${area}`, sk: `D#${day}` }),
  marker: (event: string, id: string) => ({ pk: `COUNTED#${event}#${id}`, sk: '-' }),
  unnotified: (area: string, startedAt: string, recordingId: string) => ({
    pk: `UNNOTIFIED#${area}`,
    sk: `${new Date(startedAt).toISOString()}#${recordingId}`,
  }),
  openCopy: (area: string, releaseId: string) => ({ pk: `OPENCOPY#${area}`, sk: releaseId }),
  hold: (area: string, holdId: string) => ({ pk: `HOLD#${area}`, sk: holdId }),
  held: (area: string, deleteAfter: string, recordingId: string, holdId: string) => ({
    pk: `HELD#${area}`,
    sk: `${new Date(deleteAfter).toISOString()}#${recordingId}#${holdId}`,
  }),
  extension: (area: string, number: string) => ({ pk: `EXTS#${area}`, sk: number }),
} as const;

const table = () => tableName('registers');

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

// --- write side: wired into ingestion, releases, holds and registers --------------------------------

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

// --- read side: the compliance report ----------------------------------------------------------------

const queryAll = (input: Omit<QueryCommandInput, 'TableName'>) =>
  queryAllItems({ ...input, TableName: table() });

const pkOnly = (pk: string) => ({
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': pk },
});

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

/** One item per day that had an event, from..to inclusive. */
export const readDayCounters = async (area: string, from: string, to: string): Promise<Metrics[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: {
      ':pk': KEYS.counterDay(area, from).pk,
      ':from': KEYS.counterDay(area, from).sk,
      ':to': KEYS.counterDay(area, to).sk,
    },
  });
  return items.map(
    (item) =>
      Object.fromEntries(
        Object.entries(item).filter(([k, v]) => !DAY_KEYS.has(k) && typeof v === 'number'),
      ) as Metrics,
  );
};

export const readUnnotified = async (
  area: string,
  from: string,
  to: string,
): Promise<UnnotifiedRecording[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    // '~' sorts after every character of an ISO instant, so the whole `to` day is included.
    ExpressionAttributeValues: { ':pk': `UNNOTIFIED#${area}`, ':from': from, ':to': `${to}~` },
  });
  return items.map((i) => strip<UnnotifiedRecording>(i));
};

export const readOpenCopies = async (area: string): Promise<OpenCopy[]> =>
  (await queryAll(pkOnly(`OPENCOPY#${area}`))).map((i) => strip<OpenCopy>(i));

export const readActiveHolds = async (area: string): Promise<ActiveHold[]> =>
  (await queryAll(pkOnly(`HOLD#${area}`))).map((i) => strip<ActiveHold>(i));

/** Held recordings whose 24-month point is on or before `asOf` (ISO instant). */
export const readKeptPast24Months = async (area: string, asOf: string): Promise<HeldRecording[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk <= :asOf',
    ExpressionAttributeValues: { ':pk': `HELD#${area}`, ':asOf': `${new Date(asOf).toISOString()}~` },
  });
  return items.map((i) => strip<HeldRecording>(i));
};

export const readExtensions = async (area: string): Promise<ExtensionSummary[]> =>
  (await queryAll(pkOnly(`EXTS#${area}`))).map((i) => strip<ExtensionSummary>(i));

/** One page of the area's extensions register, by number; `cursor` continues from the previous page. */
export const pageExtensions = async (
  area: string,
  limit: number,
  cursor?: string,
): Promise<{ items: ExtensionSummary[]; cursor?: string }> => {
  const { pk } = KEYS.extension(area, '');
  const out = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: table(),
      ...pkOnly(pk),
      Limit: limit,
      ConsistentRead: true,
      ExclusiveStartKey: cursor
        ? decodeCursor(cursor, { partition: ['pk', pk], keys: ['pk', 'sk'] })
        : undefined,
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => strip<ExtensionSummary>(i)),
    ...(out.LastEvaluatedKey ? { cursor: encodeCursor(out.LastEvaluatedKey) } : {}),
  };
};
