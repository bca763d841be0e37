/**
 * DynamoDB Streams event source mapping stand-in: DynamoDB Local keeps a real stream for each table
 * declared with `stream` (DescribeStream, GetShardIterator, GetRecords of the DynamoDB Streams API on its
 * own endpoint); this poller reads them and invokes the function the way Lambda's mapping does:
 *
 * - batches of up to `batchSize` INSERT records (the CDK mapping filters on `eventName: INSERT`), each with
 *   `eventSourceARN` set to the stream, in the DynamoDBStreamEvent shape;
 * - ReportBatchItemFailures: the records before the lowest failed sequence number are done, the batch is
 *   retried from it; a thrown error retries the whole batch;
 * - after `maxRetries` retries the batch is given up to the on-failure destination, a JSON line (stream,
 *   shard, first and last sequence number) in `failuresFile`, as the SQS on-failure destination receives;
 * - the position of each shard survives a restart (`checkpointFile`), so a restart does not publish again.
 *
 * The Streams API is spoken over plain HTTP (JSON 1.0): DynamoDB Local wants an Authorization header but
 * checks no signature, and no SDK client for DynamoDB Streams exists at the version the project pins.
 */
import { appendFile } from 'node:fs/promises';
import { CREDENTIALS, REGION } from './config.js';
import { readJsonState, serialWriter } from './files.js';

interface ShardState {
  /** Sequence number of the last record done. */
  after?: string;
  /** Closed and read to its end. */
  done?: boolean;
}
type Checkpoints = Record<string, Record<string, ShardState>>;

export interface StreamRecord {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: { readonly SequenceNumber?: string };
  readonly [field: string]: unknown;
}

export type Delivery =
  | { readonly ok: true; readonly failedSequenceNumbers: readonly string[] }
  | { readonly ok: false; readonly reason: string };

export interface StreamPollerOptions {
  readonly endpoint: string;
  /** Physical names of the tables whose streams are read. */
  readonly tables: readonly string[];
  readonly checkpointFile: string;
  readonly failuresFile: string;
  readonly deliver: (event: { Records: StreamRecord[] }) => Promise<Delivery>;
  readonly batchSize?: number;
  readonly intervalMs?: number;
  readonly maxRetries?: number;
}

export interface StreamPoller {
  /** Reads every stream to its current end once (what the interval does). */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

const isCheckpoints = (value: unknown): value is Checkpoints =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

class StreamsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const callApi = async (endpoint: string, target: string, body: unknown): Promise<Record<string, unknown>> => {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${day}/${REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=local`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    const type =
      String(json.__type ?? '')
        .split('#')
        .pop() ?? 'Error';
    throw new StreamsApiError(type, `${target}: ${type} ${String(json.Message ?? json.message ?? '')}`);
  }
  return json;
};

const streams = (endpoint: string, op: string, body: unknown) =>
  callApi(endpoint, `DynamoDBStreams_20120810.${op}`, body);

/**
 * DynamoDB Local writes an empty map attribute (`{"M":{}}`) into stream records as a typeless `{}`, which
 * no reader accepts (AWS sends `{"M":{}}`); put the type back. (An empty list would come out the same way
 * and be read as an empty map; the hash in the event would then not match the chain's, which shows.)
 */
const repairValue = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { M: {} };
  const [[type, inner]] = entries as [[string, unknown]];
  if (entries.length === 1 && type === 'M' && inner && typeof inner === 'object')
    return { M: repairMap(inner as Record<string, unknown>) };
  if (entries.length === 1 && type === 'L' && Array.isArray(inner)) return { L: inner.map(repairValue) };
  return value;
};
const repairMap = (map: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, repairValue(v)]));
const repairImages = (change: NonNullable<StreamRecord['dynamodb']>) => {
  const images = change as Record<string, unknown>;
  return {
    ...change,
    ...(images.NewImage ? { NewImage: repairMap(images.NewImage as Record<string, unknown>) } : {}),
  };
};

interface Shard {
  readonly ShardId: string;
  readonly ParentShardId?: string;
  readonly SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

export const startStreamPoller = (options: StreamPollerOptions): StreamPoller => {
  const batchSize = options.batchSize ?? 100;
  const maxRetries = options.maxRetries ?? 5;
  const checkpoints: Checkpoints = readJsonState(options.checkpointFile, isCheckpoints) ?? {};
  const save = serialWriter(options.checkpointFile);
  const iterators = new Map<string, string>();
  const retries = new Map<string, number>();
  let running: Promise<void> | undefined;
  let stopped = false;

  const streamArnOf = async (table: string): Promise<string | undefined> => {
    const described = await callApi(options.endpoint, 'DynamoDB_20120810.DescribeTable', {
      TableName: table,
    });
    return (described.Table as { LatestStreamArn?: string } | undefined)?.LatestStreamArn;
  };

  const shardsOf = async (streamArn: string): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await streams(options.endpoint, 'DescribeStream', {
        StreamArn: streamArn,
        ...(start ? { ExclusiveStartShardId: start } : {}),
      });
      const description = page.StreamDescription as { Shards?: Shard[]; LastEvaluatedShardId?: string };
      shards.push(...(description.Shards ?? []));
      start = description.LastEvaluatedShardId;
    } while (start);
    // Parents before children, as a mapping processes them.
    return shards.sort((a, b) =>
      (a.SequenceNumberRange?.StartingSequenceNumber ?? '').localeCompare(
        b.SequenceNumberRange?.StartingSequenceNumber ?? '',
      ),
    );
  };

  const iteratorFor = async (streamArn: string, shardId: string, state: ShardState): Promise<string> => {
    const key = `${streamArn}|${shardId}`;
    const cached = iterators.get(key);
    if (cached) return cached;
    const request = state.after
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.after }
      : { ShardIteratorType: 'TRIM_HORIZON' };
    let answer: Record<string, unknown>;
    try {
      answer = await streams(options.endpoint, 'GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shardId,
        ...request,
      });
    } catch (error) {
      if (!(error instanceof StreamsApiError && error.type === 'TrimmedDataAccessException')) throw error;
      console.error(`[streams] ${shardId}: records after ${state.after} were trimmed (older than 24 h)`);
      answer = await streams(options.endpoint, 'GetShardIterator', {
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      });
    }
    return String(answer.ShardIterator);
  };

  const giveUp = async (streamArn: string, shardId: string, batch: StreamRecord[], reason: string) => {
    const line = {
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: maxRetries + 1 },
      reason,
      DDBStreamBatchInfo: {
        streamArn,
        shardId,
        startSequenceNumber: batch[0]?.dynamodb?.SequenceNumber,
        endSequenceNumber: batch.at(-1)?.dynamodb?.SequenceNumber,
        batchSize: batch.length,
      },
      timestamp: new Date().toISOString(),
    };
    await appendFile(options.failuresFile, `${JSON.stringify(line)}\n`, { mode: 0o600 });
    console.error(`[streams] batch of ${batch.length} from ${shardId} given up after ${maxRetries} retries`);
  };

  /** Reads one shard to its current end; returns false when a batch failed (retried on the next poll). */
  const drainShard = async (streamArn: string, shardId: string, state: ShardState): Promise<boolean> => {
    const key = `${streamArn}|${shardId}`;
    let renewed = false;
    for (;;) {
      let page: Record<string, unknown>;
      try {
        page = await streams(options.endpoint, 'GetRecords', {
          ShardIterator: await iteratorFor(streamArn, shardId, state),
          Limit: batchSize,
        });
      } catch (error) {
        iterators.delete(key);
        // An old iterator: expired, or (DynamoDB Local) a TRIM_HORIZON one taken while the shard was
        // empty, which fails once records arrive. A new one from the checkpoint reads on, once.
        const stale = ['ExpiredIteratorException', 'TrimmedDataAccessException'];
        if (!renewed && error instanceof StreamsApiError && stale.includes(error.type)) {
          renewed = true;
          continue;
        }
        throw error;
      }
      const records = ((page.Records as StreamRecord[] | undefined) ?? []).map((r) => ({
        ...r,
        eventSourceARN: streamArn,
        dynamodb: r.dynamodb && repairImages(r.dynamodb),
      }));
      const next = page.NextShardIterator as string | undefined;
      const inserts = records.filter((r) => r.eventName === 'INSERT');
      if (inserts.length > 0) {
        const delivery = await options.deliver({ Records: inserts });
        const failed = delivery.ok ? delivery.failedSequenceNumbers : undefined;
        const lowest = failed?.length
          ? inserts.findIndex((r) => failed.includes(String(r.dynamodb?.SequenceNumber)))
          : delivery.ok
            ? -1
            : 0;
        if (lowest >= 0) {
          // Everything before the lowest failure is done; retry from it on the next poll.
          if (lowest > 0) state.after = inserts[lowest - 1]?.dynamodb?.SequenceNumber;
          iterators.delete(key);
          const attempt = (retries.get(key) ?? 0) + 1;
          if (attempt <= maxRetries) {
            retries.set(key, attempt);
            await save(checkpoints);
            return false;
          }
          retries.delete(key);
          await giveUp(
            streamArn,
            shardId,
            inserts.slice(lowest),
            delivery.ok ? 'items failed' : delivery.reason,
          );
        }
        retries.delete(key);
      }
      const last = records.at(-1)?.dynamodb?.SequenceNumber;
      if (last) state.after = last;
      if (!next) state.done = true;
      else iterators.set(key, next);
      if (last || !next) await save(checkpoints);
      if (!next || records.length === 0) return true;
    }
  };

  const pollOnce = async () => {
    for (const table of options.tables) {
      const streamArn = await streamArnOf(table);
      if (!streamArn) continue;
      const states: Record<string, ShardState> = checkpoints[streamArn] ?? {};
      checkpoints[streamArn] = states;
      for (const shard of await shardsOf(streamArn)) {
        const state: ShardState = states[shard.ShardId] ?? {};
        states[shard.ShardId] = state;
        if (state.done) continue;
        // A child waits until its parent is read to its end.
        if (shard.ParentShardId && states[shard.ParentShardId] && !states[shard.ParentShardId]?.done) break;
        if (!(await drainShard(streamArn, shard.ShardId, state))) break;
      }
    }
  };

  const tick = () => {
    if (stopped || running) return;
    running = pollOnce()
      .catch((error: unknown) => {
        console.error(`[streams] poll failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 500);
  timer.unref();

  return {
    async pollOnce() {
      while (running) await running;
      running = pollOnce().finally(() => {
        running = undefined;
      });
      await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
};
