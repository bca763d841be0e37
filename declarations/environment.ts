/**
 * Environment variables a function may read. The CDK bind helpers set them; the local stack sets the
 * same names. Endpoints for the local stack use the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables,
 * so no function code knows whether it runs locally.
 */
export const ENV = {
  kmsRecordingsKeyId: 'KMS_RECORDINGS_KEY_ID',
  kmsSigningKeyId: 'KMS_SIGNING_KEY_ID',
  kmsHmacKeyId: 'KMS_HMAC_KEY_ID',
  holdFanoutQueueUrl: 'QUEUE_HOLD_FANOUT_URL',
  staffNoticesTopicArn: 'TOPIC_STAFF_NOTICES_ARN',
  retentionMinMonths: 'RETENTION_MIN_MONTHS',
  retentionMaxMonths: 'RETENTION_MAX_MONTHS',
  playbackLinkTtlSeconds: 'PLAYBACK_LINK_TTL_SECONDS',
  uploadLinkTtlSeconds: 'UPLOAD_LINK_TTL_SECONDS',
  releaseCopyTtlDays: 'RELEASE_COPY_TTL_DAYS',
  releaseRequestTtlDays: 'RELEASE_REQUEST_TTL_DAYS',
  /** The one JWT claim the staff id is read from (`staffIdClaim` in cdk.json; default `sub`). */
  staffIdClaim: 'STAFF_ID_CLAIM',
  /** JSON: group id / app role → grants (`claimMapping` in cdk.json); unset → group names are grants. */
  claimMapping: 'CLAIM_MAPPING',
  /** Object Lock mode the archive's first lock uses: GOVERNANCE (default) or COMPLIANCE (cdk.json). */
  archiveLockMode: 'ARCHIVE_LOCK_MODE',
  /** The EventBridge bus audit events go to (`crs-audit`; functions/audit-events). */
  auditEventBusName: 'AUDIT_EVENT_BUS_NAME',
  /** `true` for S3 emulators that only speak path-style addressing. */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /**
   * `allow` lets a scheduled job's event carry `now` (the local stack's clock override, local/clock.ts).
   * The CDK never sets it: a deployed job always runs at the real time, whoever invokes it.
   */
  jobClockOverride: 'JOB_CLOCK_OVERRIDE',
  /** Sign the Release of Recording Log's head every N entries (default 50). */
  releaseLogCheckpointEvery: 'RELEASE_LOG_CHECKPOINT_EVERY',
  /** The most recordings one run of the 24-month deletion sweeper handles (default 2000). */
  deletionSweepMaxRecordings: 'DELETION_SWEEP_MAX_RECORDINGS',
  /** Lifetime of a subject access package's download links (default and maximum 7 days). */
  sarPackageLinkTtlSeconds: 'SAR_PACKAGE_LINK_TTL_SECONDS',
  /** `silent` turns off log lines and metrics (tests); anything else logs. */
  logLevel: 'LOG_LEVEL',
  // Set by the Lambda runtime, never by the CDK:
  awsRegion: 'AWS_REGION',
  /** The X-Ray trace header of the current invocation. */
  xrayTraceId: '_X_AMZN_TRACE_ID',
  xrayDaemonAddress: 'AWS_XRAY_DAEMON_ADDRESS',
} as const;
