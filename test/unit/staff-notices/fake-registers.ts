/**
 * An in-memory registers table behind aws-sdk-client-mock, so the staff-notice and compliance tests run
 * the real adapters. It implements the expression shapes those adapters send (key equality with an
 * optional BETWEEN or <= on the sort key, SET/ADD updates, attribute_not_exists / version conditions,
 * all-or-nothing transactions) and throws on anything else, so a new shape cannot pass unnoticed.
 * The same expressions are checked for their meaning against DynamoDB Local by the integration tests.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

export const REGISTERS = 'registers-table';
/** The audit log, kept as a list: the compliance report appends one entry per read or refusal. */
export const AUDIT = 'audit-table';

type Item = Record<string, unknown>;
type Values = Record<string, unknown> | undefined;
type Names = Record<string, string> | undefined;

export interface FakeRegisters {
  readonly items: Map<string, Item>;
  readonly audit: Item[];
  /** Transactions to fail with TransactionConflict before succeeding (simulates a concurrent writer). */
  conflicts: number;
}

const id = (key: Item) => `${String(key.pk)}\u0000${String(key.sk)}`;

const checkCondition = (existing: Item | undefined, condition: unknown, values: Values): boolean => {
  if (condition === undefined) return true;
  if (condition === 'attribute_not_exists(pk)') return existing === undefined;
  if (condition === 'attribute_exists(pk) AND version = :v')
    return existing !== undefined && existing.version === values?.[':v'];
  throw new Error(`fake registers: unsupported condition ${String(condition)}`);
};

const resolveName = (token: string, names: Names): string =>
  token.startsWith('#') ? (names?.[token] ?? token) : token;

const applyUpdate = (
  current: Item | undefined,
  key: Item,
  expression: string,
  names: Names,
  values: Values,
) => {
  const next: Item = { ...(current ?? key) };
  const match = /^SET (.+?)(?: ADD (.+))?$/.exec(expression);
  if (!match) throw new Error(`fake registers: unsupported update ${expression}`);
  for (const part of (match[1] ?? '').split(',').map((s) => s.trim())) {
    const [name, value] = part.split(' = ');
    next[resolveName(String(name), names)] = values?.[String(value)];
  }
  for (const part of (match[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, value] = part.split(' ');
    const attr = resolveName(String(name), names);
    next[attr] = Number(next[attr] ?? 0) + Number(values?.[String(value)]);
  }
  return next;
};

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** DynamoDB orders string sort keys by their bytes, not by locale. */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const KEY_CONDITION = /^(\w+) = (:\w+)(?: AND (\w+) (?:BETWEEN (:\w+) AND (:\w+)|<= (:\w+)))?$/;

// biome-ignore lint/suspicious/noExplicitAny: the stub's generic parameters are not needed here.
export const installFakeRegisters = (ddb: AwsStub<any, any, any>): FakeRegisters => {
  const fake: FakeRegisters = { items: new Map(), audit: [], conflicts: 0 };
  const table = (name: unknown) => {
    if (name !== REGISTERS) throw new Error(`fake registers: unexpected table ${String(name)}`);
  };
  ddb.on(GetCommand).callsFake((input) => {
    table(input.TableName);
    const item = fake.items.get(id(input.Key));
    return { Item: item ? structuredClone(item) : undefined };
  });
  ddb.on(PutCommand).callsFake((input) => {
    if (input.TableName === AUDIT) {
      if (fake.audit.some((i) => i.seq === input.Item.seq)) throw conditionFailed();
      fake.audit.push(structuredClone(input.Item));
      return {};
    }
    table(input.TableName);
    if (
      !checkCondition(
        fake.items.get(id(input.Item)),
        input.ConditionExpression,
        input.ExpressionAttributeValues,
      )
    )
      throw conditionFailed();
    fake.items.set(id(input.Item), structuredClone(input.Item));
    return {};
  });
  ddb.on(DeleteCommand).callsFake((input) => {
    table(input.TableName);
    fake.items.delete(id(input.Key));
    return {};
  });
  ddb.on(UpdateCommand).callsFake((input) => {
    table(input.TableName);
    const key = id(input.Key);
    fake.items.set(
      key,
      applyUpdate(
        fake.items.get(key),
        input.Key,
        input.UpdateExpression,
        input.ExpressionAttributeNames,
        input.ExpressionAttributeValues,
      ),
    );
    return {};
  });
  ddb.on(TransactWriteCommand).callsFake((input) => {
    if (fake.conflicts > 0) {
      fake.conflicts -= 1;
      throw cancelled(input.TransactItems.map(() => 'TransactionConflict'));
    }
    // biome-ignore lint/suspicious/noExplicitAny: transact items are a tagged union.
    const codes = input.TransactItems.map((t: any) => {
      const op = t.Put ?? t.Update ?? t.Delete;
      table(op.TableName);
      const key = id(t.Put ? t.Put.Item : op.Key);
      return checkCondition(fake.items.get(key), op.ConditionExpression, op.ExpressionAttributeValues)
        ? 'None'
        : 'ConditionalCheckFailed';
    });
    if (codes.some((c: string) => c !== 'None')) throw cancelled(codes);
    for (const t of input.TransactItems) {
      if (t.Put) fake.items.set(id(t.Put.Item), structuredClone(t.Put.Item));
      else if (t.Delete) fake.items.delete(id(t.Delete.Key));
      else if (t.Update) {
        const key = id(t.Update.Key);
        fake.items.set(
          key,
          applyUpdate(
            fake.items.get(key),
            t.Update.Key,
            t.Update.UpdateExpression,
            t.Update.ExpressionAttributeNames,
            t.Update.ExpressionAttributeValues,
          ),
        );
      }
    }
    return {};
  });
  ddb.on(QueryCommand).callsFake((input) => {
    if (input.TableName === AUDIT) {
      // chain-store's head read: the newest link of the chain.
      const head = fake.audit.at(-1);
      return { Items: head ? [structuredClone(head)] : [], Count: head ? 1 : 0 };
    }
    table(input.TableName);
    const m = KEY_CONDITION.exec(String(input.KeyConditionExpression));
    if (!m) throw new Error(`fake registers: unsupported key condition ${input.KeyConditionExpression}`);
    const [, pkName, pkValue, skName, from, to, atMost] = m;
    const v = input.ExpressionAttributeValues ?? {};
    const expectedIndex = pkName === 'pk' ? undefined : 'gsi1';
    if (input.IndexName !== expectedIndex) throw new Error(`fake registers: ${pkName} on ${input.IndexName}`);
    const items = [...fake.items.values()]
      .filter((item) => item[String(pkName)] === v[String(pkValue)])
      .filter((item) => {
        if (!skName) return true;
        const sk = String(item[skName] ?? '');
        if (atMost) return item[skName] !== undefined && sk <= String(v[atMost]);
        return sk >= String(v[String(from)]) && sk <= String(v[String(to)]);
      })
      .sort((a, b) => byteOrder(String(a[skName ?? 'sk']), String(b[skName ?? 'sk'])));
    return { Items: structuredClone(items), Count: items.length };
  });
  return fake;
};
