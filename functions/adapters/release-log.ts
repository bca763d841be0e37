/**
 * The Release of Recording Log table (policy s.6): two hash chains appended through chain-store —
 * `releases` (one link per event) and `checkpoints` (signed heads of `releases`). Append-only: this
 * module only ever Puts new links. gsi1 finds one release's entries, gsi2 one requester's (Query only).
 */
import type { ChainLink } from '../domain/hash-chain.js';
import type { ReleaseLogPayload } from '../domain/release.js';
import { CHECKPOINT_CHAIN, type CheckpointPayload, ENTRY_CHAIN } from '../domain/release-log-format.js';
import { tableName } from '../platform/env.js';
import { queryAll } from '../platform/query-all.js';
import type { ReleaseLogStore } from '../ports/release.js';
import { appendLink, readHead, readLinks } from './chain-store.js';

/** gsi1: one release's entries; gsi2: one requester's; both in time order. Not part of the hash. */
export const releaseLogIndexKeys = (payload: ReleaseLogPayload, at: Date): Record<string, string> => ({
  gsi1pk: `RELEASE#${payload.releaseId}`,
  gsi1sk: at.toISOString(),
  gsi2pk: `REQUESTER#${payload.requester}`,
  gsi2sk: at.toISOString(),
});

const toLink = <P>(item: Record<string, unknown>): ChainLink<P> => {
  const { chain, seq, at, payload, prevHash, hash } = item as unknown as ChainLink<P>;
  return { chain, seq, at, payload, prevHash, hash };
};

const collect = async <P>(chain: string, table: string): Promise<ChainLink<P>[]> => {
  const links: ChainLink<P>[] = [];
  for await (const link of readLinks(table, chain)) links.push(link as ChainLink<P>);
  return links;
};

export const dynamoReleaseLog = (
  table = tableName('releaseLog'),
  clock: () => Date = () => new Date(),
): ReleaseLogStore => {
  const byIndex = async (index: 'gsi1' | 'gsi2', pk: string): Promise<ChainLink<ReleaseLogPayload>[]> => {
    const items = await queryAll({
      TableName: table,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}pk` },
      ExpressionAttributeValues: { ':pk': pk },
    });
    return items.map((i) => toLink<ReleaseLogPayload>(i)).sort((a, b) => a.seq - b.seq);
  };
  return {
    append(payload) {
      const at = clock();
      return appendLink(table, ENTRY_CHAIN, payload, {
        now: () => at,
        indexAttributes: releaseLogIndexKeys(payload, at),
      });
    },
    appendCheckpoint(payload: CheckpointPayload) {
      const at = clock();
      return appendLink(table, CHECKPOINT_CHAIN, payload, { now: () => at });
    },
    entries: () => collect<ReleaseLogPayload>(ENTRY_CHAIN, table),
    async entriesAfter(afterSeq, limit) {
      const items = await queryAll(
        {
          TableName: table,
          KeyConditionExpression: '#c = :c AND #s > :after',
          ExpressionAttributeNames: { '#c': 'chain', '#s': 'seq' },
          ExpressionAttributeValues: { ':c': ENTRY_CHAIN, ':after': afterSeq },
          ConsistentRead: true,
        },
        limit,
      );
      return items.map((i) => toLink<ReleaseLogPayload>(i));
    },
    entriesOf: (filter) =>
      'releaseId' in filter
        ? byIndex('gsi1', `RELEASE#${filter.releaseId}`)
        : byIndex('gsi2', `REQUESTER#${filter.requester}`),
    checkpoints: () => collect<CheckpointPayload>(CHECKPOINT_CHAIN, table),
    async head() {
      const head = await readHead(table, ENTRY_CHAIN);
      return head ? { seq: head.seq, hash: head.hash } : undefined;
    },
    async lastCheckpoint() {
      const head = await readHead(table, CHECKPOINT_CHAIN);
      return head ? toLink<CheckpointPayload>(head as unknown as Record<string, unknown>) : undefined;
    },
  };
};
