/**
 * An in-memory stand-in for the catalogue and audit tables behind aws-sdk-client-mock, so handler tests
 * run the real adapters. It honours what the tests rely on (keys, the append condition, the delete
 * condition, the catalogue store's transactions, partitions, Limit and ExclusiveStartKey, newest-first order, and the sort-key range of an
 * audit index query: `#sk BETWEEN`, `>=`, `<=`); filter expressions are checked for their shape in the
 * tests and for their meaning against DynamoDB Local.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { forgetAuditHeads } from '../../../functions/adapters/audit-log.js';
import type { Recording } from '../../../functions/domain/recording.js';

export const CATALOGUE = 'catalogue-table';
export const AUDIT = 'audit-table';
export const HOLDS = 'holds-table';
export const REGISTERS = 'registers-table';
export const DISCLOSURES = 'disclosures-table';

type Item = Record<string, unknown>;

export interface FakeTables {
  readonly catalogue: Map<string, Item>;
  readonly audit: Item[];
  /** The holds table's items by `pk sk` (deletion records). */
  readonly holds: Map<string, Item>;
  /** The registers table's items by `pk sk` (staff register entries). */
  readonly registers: Map<string, Item>;
  /** The disclosures table's items by `pk sk` (IG advice). */
  readonly disclosures: Map<string, Item>;
  /** Makes every audit append fail (as if the table were unavailable). */
  failAudit: boolean;
  /** Fails this many register writes (as if the registers table were unavailable), then succeeds. */
  failRegisterWrites: number;
  /** Fails this many catalogue transactions (as if DynamoDB throttled them), then succeeds. */
  failCatalogueTransactions: number;
}

const INDEX_PK: Record<string, string> = {
  byServiceArea: 'serviceArea',
  byExtension: 'extension',
  byAgent: 'agentId',
  byCaller: 'callerHash',
  byStatus: 'status',
  byDeletionDay: 'deleteDay',
  gsi1: 'gsi1pk',
  gsi2: 'gsi2pk',
  gsi3: 'gsi3pk',
};
const INDEX_SK: Record<string, string> = { gsi1: 'gsi1sk', gsi2: 'gsi2sk', gsi3: 'gsi3sk' };

/** The sort-key range of a key condition (`#sk BETWEEN :a AND :b`, `#sk >= :a`, `#sk <= :b`). */
const inRange = (condition: string, values: Record<string, unknown>) => {
  const between = /#sk BETWEEN (:\w+) AND (:\w+)/.exec(condition);
  const low = between?.[1] ?? /#sk >= (:\w+)/.exec(condition)?.[1];
  const high = between?.[2] ?? /#sk <= (:\w+)/.exec(condition)?.[1];
  return (sk: string) => (!low || sk >= String(values[low])) && (!high || sk <= String(values[high]));
};

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** DynamoDB refuses a request naming a placeholder that no expression uses; so does the fake. */
const refuseUnusedPlaceholders = (input: Record<string, unknown>) => {
  const text = [
    'KeyConditionExpression',
    'FilterExpression',
    'ConditionExpression',
    'UpdateExpression',
    'ProjectionExpression',
  ]
    .map((k) => String(input[k] ?? ''))
    .join(' ');
  const placeholders = [
    ...Object.keys((input.ExpressionAttributeNames as object | undefined) ?? {}),
    ...Object.keys((input.ExpressionAttributeValues as object | undefined) ?? {}),
  ];
  const unused = placeholders.filter((p) => !new RegExp(`${p}(?![A-Za-z0-9_])`).test(text));
  if (unused.length > 0) throw new Error(`ValidationException: unused in expressions: ${unused.join(', ')}`);
};

// biome-ignore lint/suspicious/noExplicitAny: the stub's generic parameters are not needed here.
export const installFakeTables = (ddb: AwsStub<any, any, any>): FakeTables => {
  // A fresh table: what the audit writer remembers of the last one's shard heads no longer holds.
  forgetAuditHeads();
  const fake: FakeTables = {
    catalogue: new Map(),
    audit: [],
    holds: new Map(),
    registers: new Map(),
    disclosures: new Map(),
    failAudit: false,
    failRegisterWrites: 0,
    failCatalogueTransactions: 0,
  };
  /** A catalogue update as the catalogue store sends them (mark deleted, clear the index, restore). */
  const updateCatalogue = (input: Item, catalogue = fake.catalogue) => {
    refuseUnusedPlaceholders(input);
    const key = input.Key as Item;
    const item = catalogue.get(String(key.recordingId));
    if (!item) throw conditionFailed();
    const v = input.ExpressionAttributeValues as Item;
    const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const update = String(input.UpdateExpression);
    if (update.startsWith('SET #status = :deleted')) {
      const floor = String(item[names['#floor'] as string]);
      const ok = item.status === 'ARCHIVED' && !Number(item.holdCount ?? 0) && floor <= String(v[':at']);
      if (!ok) throw conditionFailed();
      Object.assign(item, { status: 'DELETED', statusAt: v[':at'], deletion: v[':cert'] });
      return;
    }
    if (update === 'REMOVE deleteDay') {
      if (item.status !== 'DELETED') throw conditionFailed();
      delete item.deleteDay;
      return;
    }
    if (update.startsWith('SET #status = :archived')) {
      if (item.status !== 'DELETED') throw conditionFailed();
      Object.assign(item, { status: 'ARCHIVED', statusAt: v[':statusAt'] });
      delete item.deletion;
      return;
    }
    throw new Error(`unexpected update ${update}`);
  };
  ddb.on(TransactWriteCommand).callsFake((input) => {
    if (fake.failRegisterWrites > 0) {
      fake.failRegisterWrites -= 1;
      throw new Error('registers table unavailable');
    }
    if (
      fake.failCatalogueTransactions > 0 &&
      input.TransactItems?.some((i: { Update?: { TableName?: string } }) => i.Update?.TableName === CATALOGUE)
    ) {
      fake.failCatalogueTransactions -= 1;
      throw new Error('throttled');
    }
    // All or nothing, like DynamoDB: work on copies, keep them only when every item succeeded.
    const catalogue = new Map([...fake.catalogue].map(([k, v]) => [k, structuredClone(v)]));
    const holds = new Map(fake.holds);
    const registers = new Map(fake.registers);
    const reasons: string[] = [];
    let failed = false;
    for (const entry of input.TransactItems ?? []) {
      try {
        if (entry.Update?.TableName === CATALOGUE) {
          updateCatalogue(entry.Update, catalogue);
        } else if (entry.Put?.TableName === HOLDS) {
          holds.set(`${entry.Put.Item.pk} ${entry.Put.Item.sk}`, structuredClone(entry.Put.Item));
        } else if (entry.Delete?.TableName === HOLDS) {
          holds.delete(`${entry.Delete.Key.pk} ${entry.Delete.Key.sk}`);
        } else if (entry.Put?.TableName === REGISTERS) {
          const key = `${entry.Put.Item.pk} ${entry.Put.Item.sk}`;
          if (entry.Put.ConditionExpression === 'attribute_not_exists(pk)' && registers.has(key))
            throw conditionFailed();
          registers.set(key, structuredClone(entry.Put.Item));
        } else {
          throw new Error('unexpected transaction in the playback fake');
        }
        reasons.push('None');
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        reasons.push('ConditionalCheckFailed');
        failed = true;
      }
    }
    if (failed) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons.map((Code) => ({ Code })),
      });
    }
    for (const [k, v] of catalogue) fake.catalogue.set(k, v);
    fake.holds.clear();
    for (const [k, v] of holds) fake.holds.set(k, v);
    fake.registers.clear();
    for (const [k, v] of registers) fake.registers.set(k, v);
    return {};
  });
  ddb.on(GetCommand).callsFake((input) => {
    if (input.TableName === DISCLOSURES) {
      const item = fake.disclosures.get(`${input.Key.pk} ${input.Key.sk}`);
      return { Item: item ? structuredClone(item) : undefined };
    }
    if (input.TableName === REGISTERS) {
      const item = fake.registers.get(`${input.Key.pk} ${input.Key.sk}`);
      return { Item: item ? structuredClone(item) : undefined };
    }
    if (input.TableName !== CATALOGUE) throw new Error(`unexpected Get on ${input.TableName}`);
    const item = fake.catalogue.get(String(input.Key.recordingId));
    return { Item: item ? structuredClone(item) : undefined };
  });
  ddb.on(PutCommand).callsFake((input) => {
    if (input.TableName === HOLDS) {
      fake.holds.set(`${input.Item.pk} ${input.Item.sk}`, structuredClone(input.Item));
      return {};
    }
    if (input.TableName !== AUDIT) throw new Error(`unexpected Put on ${input.TableName}`);
    refuseUnusedPlaceholders(input);
    if (fake.failAudit) throw new Error('audit table unavailable');
    const taken = fake.audit.find((i) => i.chain === input.Item.chain && i.seq === input.Item.seq);
    if (taken) {
      const error = conditionFailed();
      // Like DynamoDB: the item that failed the condition, in attribute-value form, when asked for.
      if (input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD')
        Object.assign(error, { Item: { seq: { N: String(taken.seq) }, hash: { S: String(taken.hash) } } });
      throw error;
    }
    fake.audit.push(structuredClone(input.Item));
    return {};
  });
  ddb.on(BatchGetCommand).callsFake((input) => {
    const request = input.RequestItems?.[AUDIT];
    if (!request) throw new Error('unexpected BatchGet in the playback fake');
    const keys = request.Keys as Item[];
    const found = keys
      .map((k) => fake.audit.find((i) => i.chain === k.chain && i.seq === k.seq))
      .filter((i): i is Item => i !== undefined)
      .map((i) => ({ at: i.at }));
    return { Responses: { [AUDIT]: structuredClone(found) } };
  });
  ddb.on(UpdateCommand).callsFake((input) => {
    updateCatalogue(input);
    return {};
  });
  ddb.on(QueryCommand).callsFake((input) => {
    refuseUnusedPlaceholders(input);
    const values = input.ExpressionAttributeValues ?? {};
    let rows: Item[];
    let order: (i: Item) => string;
    if (input.TableName === AUDIT) {
      if (input.IndexName) {
        const pk = INDEX_PK[input.IndexName] as string;
        const sk = INDEX_SK[input.IndexName] as string;
        const wanted = inRange(String(input.KeyConditionExpression), values);
        rows = fake.audit.filter((i) => i[pk] === values[':pk'] && wanted(String(i[sk])));
        order = (i) => String(i[sk]);
      } else {
        rows = fake.audit.filter(
          (i) => i.chain === values[':c'] && Number(i.seq) > Number(values[':after'] ?? 0),
        );
        order = (i) => String(i.seq).padStart(12, '0');
      }
    } else if (input.TableName === CATALOGUE) {
      const pk = INDEX_PK[String(input.IndexName)];
      if (!pk) throw new Error(`unexpected catalogue query on ${input.IndexName}`);
      rows = [...fake.catalogue.values()].filter((i) => i[pk] === values[':pk']);
      order = (i) => `${i.startedAt}#${i.recordingId}`;
    } else {
      throw new Error(`unexpected Query on ${input.TableName}`);
    }
    rows = [...rows].sort((a, b) => (order(a) < order(b) ? -1 : 1));
    if (input.ScanIndexForward === false) rows.reverse();
    const start = input.ExclusiveStartKey;
    if (start) {
      // Like DynamoDB: resume after the key's place in the sort order, whether or not that item is there.
      const at =
        input.TableName === AUDIT
          ? rows.findIndex((r) =>
              input.ScanIndexForward === false ? order(r) < order(start) : order(r) > order(start),
            )
          : rows.findIndex((r) => r.recordingId === start.recordingId) + 1;
      rows = at < 0 ? [] : rows.slice(at);
    }
    const limit = input.Limit ?? rows.length;
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const more = rows.length > limit && last;
    const lastKey = more
      ? input.TableName === AUDIT
        ? {
            chain: last.chain,
            seq: last.seq,
            ...(input.IndexName
              ? {
                  [INDEX_PK[input.IndexName] as string]: last[INDEX_PK[input.IndexName] as string],
                  [INDEX_SK[input.IndexName] as string]: last[INDEX_SK[input.IndexName] as string],
                }
              : {}),
          }
        : {
            recordingId: last.recordingId,
            startedAt: last.startedAt,
            [INDEX_PK[String(input.IndexName)] as string]: last[INDEX_PK[String(input.IndexName)] as string],
          }
      : undefined;
    return { Items: structuredClone(page), LastEvaluatedKey: lastKey };
  });
  return fake;
};

let counter = 0;
export const recording = (overrides: Partial<Recording> = {}): Recording => {
  counter += 1;
  return {
    recordingId: `rec-${String(counter).padStart(4, '0')}`,
    callId: `call-${counter}`,
    serviceArea: 'revenues',
    extension: '4001',
    direction: 'inbound',
    startedAt: `2024-03-01T09:${String(counter % 60).padStart(2, '0')}:00.000Z`,
    endedAt: '2024-03-01T10:05:00.000Z',
    durationSeconds: 300,
    agentId: 'agent-1',
    callerHash: 'hmac-of-caller',
    callerLast3: '890',
    callerWithheld: false,
    notification: { method: 'announcement' },
    abuseReminder: false,
    verificationReminder: false,
    pci: { pausedSegments: [], cardDataCaptured: false },
    audio: { format: 'wav', sizeBytes: 1024, sha256: 'a'.repeat(64) },
    status: 'ARCHIVED',
    statusAt: '2024-03-01T10:06:00.000Z',
    registeredAt: '2024-03-01T10:05:10.000Z',
    archivedAt: '2024-03-01T10:06:00.000Z',
    archiveKey: `revenues/2024/03/01/rec-${counter}.wav`,
    archiveVersionId: `v-${counter}`,
    retainUntil: '2025-03-01T09:00:00.000Z',
    deleteAfter: '2026-03-01T09:00:00.000Z',
    deleteDay: '2026-03-01',
    holdCount: 0,
    ...overrides,
  };
};
