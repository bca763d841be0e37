/** The recording buckets, by logical id; the env var `BUCKET_<ID>` carries the physical name. */
export type BucketId = 'inbox' | 'archive' | 'releases';

export const BUCKETS: readonly BucketId[] = ['inbox', 'archive', 'releases'];

export const bucketEnvVar = (id: BucketId): string => `BUCKET_${id.toUpperCase()}`;

/** Inbox prefixes: uploads land under `incoming/`, rejected audio is moved under `quarantine/`. */
export const INBOX_PREFIX = { incoming: 'incoming/', quarantine: 'quarantine/' } as const;

/**
 * Archive prefixes besides recordings: signed checkpoints of the Release of Recording Log and of the
 * access audit log, anchored under the archive's Object Lock (functions/adapters/checkpoint-anchors.ts).
 */
export const ARCHIVE_PREFIX = { checkpoints: 'checkpoints/' } as const;
