/**
 * Append-only storage of a hash chain in a DynamoDB table keyed (chain, seq).
 * An append reads the head and writes seq+1 with a condition that the key is new; a writer that loses
 * the race re-reads the head and tries again, so concurrent writers never fork or lose the chain.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ChainLink, nextLink } from '../domain/hash-chain.js';
import { dynamoDocumentClient } from '../platform/clients/dynamodb.js';
import { isConditionFailure } from '../platform/conditions.js';
import { retrying } from '../platform/retry.js';

const MAX_ATTEMPTS = 25;

export interface AppendOptions {
  /**
   * Extra top-level attributes for indexes (e.g. gsi1pk); not part of the hashed content. A function
   * receives the link about to be written, so index sort keys can carry its time and sequence number.
   */
  readonly indexAttributes?:
    | Record<string, string>
    | ((link: Pick<ChainLink<unknown>, 'seq' | 'at'>) => Record<string, string>);
  readonly now?: () => Date;
  /**
   * A head read (readHead) the caller started earlier, in parallel with its own reads; the first attempt
   * links to it. A stale or wrong head costs one lost race (the sequence number is taken), never a fork.
   */
  readonly firstHead?: Promise<Pick<ChainLink<unknown>, 'seq' | 'hash'> | undefined>;
}

export const readHead = async (table: string, chain: string): Promise<ChainLink<unknown> | undefined> => {
  const result = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: '#c = :c',
      ExpressionAttributeNames: { '#c': 'chain' },
      ExpressionAttributeValues: { ':c': chain },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  return result.Items?.[0] as ChainLink<unknown> | undefined;
};

export const appendLink = async <P>(
  table: string,
  chain: string,
  payload: P,
  options: AppendOptions = {},
): Promise<ChainLink<P>> => {
  const now = options.now ?? (() => new Date());
  const policy = {
    // A lost race for the next seq: re-read the head and try again.
    retryable: isConditionFailure,
    retries: MAX_ATTEMPTS - 1,
    exhausted: () =>
      new Error(`could not append to chain ${chain} after ${MAX_ATTEMPTS} attempts (heavy contention)`),
  };
  return retrying(policy, async (attempt) => {
    const head = attempt === 0 && options.firstHead ? await options.firstHead : await readHead(table, chain);
    const link = nextLink(chain, head, payload, now());
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: table,
        Item: {
          ...(typeof options.indexAttributes === 'function'
            ? options.indexAttributes(link)
            : options.indexAttributes),
          ...link,
        },
        ConditionExpression: 'attribute_not_exists(#s)',
        ExpressionAttributeNames: { '#s': 'seq' },
      }),
    );
    return link;
  });
};

/**
 * One conditional put of `link` (its seq must be new). A lost race returns the link that holds the seq,
 * from the failed condition itself (ReturnValuesOnConditionCheckFailure), so no read is needed to retry.
 */
export const putLinkIfNew = async (
  table: string,
  link: ChainLink<unknown>,
  indexAttributes: Record<string, string> = {},
): Promise<{ written: true } | { written: false; occupant?: Pick<ChainLink<unknown>, 'seq' | 'hash'> }> => {
  try {
    await dynamoDocumentClient().send(
      new PutCommand({
        TableName: table,
        Item: { ...indexAttributes, ...link },
        ConditionExpression: 'attribute_not_exists(#s)',
        ExpressionAttributeNames: { '#s': 'seq' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { written: true };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    // The document client leaves the error's item in DynamoDB's attribute-value form.
    const item = (error as { Item?: unknown }).Item as
      | { seq?: { N?: string }; hash?: { S?: string } }
      | undefined;
    const seq = Number(item?.seq?.N);
    const hash = item?.hash?.S;
    return Number.isSafeInteger(seq) && hash
      ? { written: false, occupant: { seq, hash } }
      : { written: false };
  }
};

/** Reads links in order, page by page; `afterSeq` resumes after a known link. */
export async function* readLinks(
  table: string,
  chain: string,
  afterSeq = 0,
): AsyncGenerator<ChainLink<unknown>> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDocumentClient().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#c = :c AND #s > :after',
        ExpressionAttributeNames: { '#c': 'chain', '#s': 'seq' },
        ExpressionAttributeValues: { ':c': chain, ':after': afterSeq },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const { chain: c, seq, at, payload, prevHash, hash } = item as ChainLink<unknown>;
      yield { chain: c, seq, at, payload, prevHash, hash };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
