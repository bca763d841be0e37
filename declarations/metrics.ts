/**
 * The custom CloudWatch metrics the functions publish (Embedded Metric Format, functions/adapters/
 * metrics.ts) that the stack alarms on (infra/constructs/alarms.ts): one name for both sides.
 */
export const METRIC_NAMESPACE = 'CallRecordingGovernance';

/** Audio set aside instead of archived, with a `reason` dimension (functions/domain/upload.ts). */
export const QUARANTINED_METRIC = 'RecordingsQuarantined';

/** Calls registered for upload (functions/ingest/register-call.ts). */
export const UPLOADS_METRIC = 'UploadsRegistered';
/** Recordings archived, with a `serviceArea` dimension (functions/ingest/worker.ts). */
export const ARCHIVED_METRIC = 'RecordingsArchived';
/** Playback and download links issued, with a `mode` dimension (functions/playback/link.ts). */
export const LINKS_METRIC = 'RecordingLinksIssued';
/** 403/422 refusals, with the policy `rule` as dimension (functions/http/errors.ts). */
export const DENIALS_METRIC = 'RequestsDenied';
/** Release created or moved, with the `state` it is now in (functions/adapters/release-store.ts). */
export const RELEASES_METRIC = 'ReleaseTransitions';
/** Holds placed and lifted, with an `action` dimension (functions/legal-hold/use-cases.ts). */
export const HOLDS_METRIC = 'Holds';
/** Recordings the deletion sweeper deleted in a run (functions/sweepers/run-deletion.ts). */
export const SWEEPER_DELETIONS_METRIC = 'SweeperDeletions';
/** Milliseconds to append one access-audit entry (functions/playback/context.ts). */
export const AUDIT_APPEND_LATENCY_METRIC = 'AuditAppendLatency';
