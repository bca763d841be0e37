/**
 * The custom CloudWatch metrics the functions publish (Embedded Metric Format, functions/adapters/
 * metrics.ts) that the stack alarms on (infra/constructs/alarms.ts): one name for both sides.
 */
export const METRIC_NAMESPACE = 'CallRecordingGovernance';

/** Audio set aside instead of archived, with a `reason` dimension (functions/domain/upload.ts). */
export const QUARANTINED_METRIC = 'RecordingsQuarantined';
