/** The recording buckets, by logical id; the env var `BUCKET_<ID>` carries the physical name. */
export type BucketId = 'inbox' | 'archive' | 'releases';

export const BUCKETS: readonly BucketId[] = ['inbox', 'archive', 'releases'];

export const bucketEnvVar = (id: BucketId): string => `BUCKET_${id.toUpperCase()}`;

/** Inbox prefixes: uploads land under `incoming/`, rejected audio is moved under `quarantine/`. */
export const INBOX_PREFIX = { incoming: 'incoming/', quarantine: 'quarantine/' } as const;
