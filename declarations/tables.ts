/**
 * The one declaration of every DynamoDB table: keys, indexes, TTL attribute.
 * Used by the CDK tables construct and by the local stack, so the two cannot drift.
 * Pure data: no CDK or SDK import here, so functions may import index names from it.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDeclaration {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDeclaration {
  readonly indexName: string;
  readonly partitionKey: KeyDeclaration;
  readonly sortKey?: KeyDeclaration;
}

export interface TableDeclaration {
  /** Logical id, also the suffix of the env var (`TABLE_<ID>`) that carries the physical name. */
  readonly id: TableId;
  readonly partitionKey: KeyDeclaration;
  readonly sortKey?: KeyDeclaration;
  readonly indexes: readonly IndexDeclaration[];
  readonly timeToLiveAttribute?: string;
  /** Append-only tables: functions get PutItem but never UpdateItem/DeleteItem on them. */
  readonly appendOnly?: boolean;
  /** A change stream of new items (NEW_IMAGE): the audit-events function publishes them to the SIEM. */
  readonly stream?: 'NEW_IMAGE';
}

export type TableId =
  | 'catalogue'
  | 'releaseLog'
  | 'releases'
  | 'holds'
  | 'auditLog'
  | 'registers'
  | 'disclosures';

const s = (name: string): KeyDeclaration => ({ name, type: 'S' });
const n = (name: string): KeyDeclaration => ({ name, type: 'N' });

/** Generic GSIs for tables with several item kinds (single-table design per table). */
const gsi = (i: 1 | 2 | 3): IndexDeclaration => ({
  indexName: `gsi${i}`,
  partitionKey: s(`gsi${i}pk`),
  sortKey: s(`gsi${i}sk`),
});

export const CATALOGUE_INDEXES = {
  byServiceArea: 'byServiceArea',
  byExtension: 'byExtension',
  byAgent: 'byAgent',
  byCaller: 'byCaller',
  byDeletionDay: 'byDeletionDay',
  byStatus: 'byStatus',
  awaitingDeletion: 'awaitingDeletion',
} as const;

export const TABLES: readonly TableDeclaration[] = [
  {
    // One item per recording, keyed by recording id. Registration-time and archive-time fields live here.
    id: 'catalogue',
    partitionKey: s('recordingId'),
    indexes: [
      { indexName: CATALOGUE_INDEXES.byServiceArea, partitionKey: s('serviceArea'), sortKey: s('startedAt') },
      { indexName: CATALOGUE_INDEXES.byExtension, partitionKey: s('extension'), sortKey: s('startedAt') },
      { indexName: CATALOGUE_INDEXES.byAgent, partitionKey: s('agentId'), sortKey: s('startedAt') },
      { indexName: CATALOGUE_INDEXES.byCaller, partitionKey: s('callerHash'), sortKey: s('startedAt') },
      // deleteDay = YYYY-MM-DD of delete-after; sparse: removed once the recording is deleted.
      // Superseded by awaitingDeletion (read by nothing); it goes in a later deployment, since
      // CloudFormation adds or removes one GSI per table per update.
      { indexName: CATALOGUE_INDEXES.byDeletionDay, partitionKey: s('deleteDay'), sortKey: s('deleteAfter') },
      { indexName: CATALOGUE_INDEXES.byStatus, partitionKey: s('status'), sortKey: s('statusAt') },
      // The deletion sweep's index: only recordings that have a deleteDay, i.e. await deletion (ARCHIVED)
      // or had their catalogue entry deleted by a run that stopped before the object (DELETED). Once the
      // object is gone deleteDay is removed and the recording leaves the index, so a run reads what it
      // changes (plus held recordings past due), however many days it spans.
      { indexName: CATALOGUE_INDEXES.awaitingDeletion, partitionKey: s('status'), sortKey: s('deleteDay') },
    ],
  },
  {
    // Release of Recording Log (policy s.6): append-only hash chain; chain = partition, seq = sort.
    id: 'releaseLog',
    partitionKey: s('chain'),
    sortKey: n('seq'),
    indexes: [gsi(1), gsi(2)],
    appendOnly: true,
    stream: 'NEW_IMAGE',
  },
  {
    // Release requests and their state machine.
    id: 'releases',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [gsi(1), gsi(2), gsi(3)],
  },
  {
    // Holds and hold <-> recording links.
    id: 'holds',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [gsi(1), gsi(2)],
  },
  {
    // Audit log of every access to a recording: append-only hash chain. gsi1 by recording, gsi2 by actor,
    // gsi3 by UTC month (`AUDIT#yyyy-mm`), each sorted by `<at>#<seq>` (functions/domain/audit.ts).
    id: 'auditLog',
    partitionKey: s('chain'),
    sortKey: n('seq'),
    indexes: [gsi(1), gsi(2), gsi(3)],
    appendOnly: true,
    stream: 'NEW_IMAGE',
  },
  {
    // Registers: service areas (business cases), extensions, staff notices, idempotency records, counters.
    id: 'registers',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [gsi(1), gsi(2)],
    timeToLiveAttribute: 'expiresAt',
  },
  {
    // Disclosures (s.6, DPA 2018): IG advice records; gsi1 = ADVICE / <issuedAt>#<id>.
    id: 'disclosures',
    partitionKey: s('pk'),
    sortKey: s('sk'),
    indexes: [gsi(1), gsi(2)],
  },
];

export const tableEnvVar = (id: TableId): string =>
  `TABLE_${id.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
