import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ARCHIVE_PREFIX, bucketEnvVar, INBOX_PREFIX } from '../../declarations/buckets.js';
import { ENV } from '../../declarations/environment.js';
import {
  DEPLOY_FUNCTIONS,
  type DeployFunctionId,
  FUNCTIONS,
  type FunctionId,
} from '../../declarations/functions.js';
import { INDEX_BACKFILL_ATTRIBUTES, SERVICE_AREA_LIST_MARKER } from '../../declarations/migrations.js';
import { tableEnvVar } from '../../declarations/tables.js';
import { bindBucket, bindKey, bindQueue, bindTable, bindTableGrants, bindTopic } from './bind.js';
import type { Buckets } from './buckets.js';
import type { Keys } from './keys.js';
import type { Messaging } from './messaging.js';
import { RecordingFunction } from './recording-function.js';
import type { Tables } from './tables.js';

export interface FunctionsProps {
  readonly keys: Keys;
  readonly buckets: Buckets;
  readonly tables: Tables;
  readonly messaging: Messaging;
  readonly logRetention: RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  /** Longest initial Object Lock the ingest worker may set (days): the minimum retention period. */
  readonly minRetentionDays: number;
  /** The archive's Object Lock mode: locks set by functions are in this mode only. */
  readonly archiveLockMode: 'GOVERNANCE' | 'COMPLIANCE';
}

/** Functions invoked asynchronously (schedules, EventBridge): failed invocations land in a DLQ. */
const ASYNC_FUNCTIONS: readonly FunctionId[] = ['sweepers', 'lifecycleEvents'];

/**
 * Every function of declarations/functions.ts and what each may touch. Read this as the access
 * table of the system: a grant missing here is an AccessDenied in AWS, a grant added here is a
 * reviewable change. Object Lock powers (legal hold, retention extension) belong to the legal-hold
 * functions alone; the ingest worker may only set the first, minimum-length lock.
 */
export class Functions extends Construct {
  private readonly byId = new Map<FunctionId | DeployFunctionId, RecordingFunction>();

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { keys, buckets, tables, messaging } = props;

    for (const declaration of [...FUNCTIONS, ...DEPLOY_FUNCTIONS]) {
      const fn = new RecordingFunction(this, pascal(declaration.id), {
        declaration,
        logRetention: props.logRetention,
        environment: props.environment,
        deadLetterQueue: ASYNC_FUNCTIONS.some((id) => id === declaration.id)
          ? messaging.asyncFailures
          : undefined,
      });
      this.byId.set(declaration.id, fn);
      // Names are configuration, not permission: every function knows every table and bucket name
      // (shared config modules read them at load); what it may do with each is granted below.
      for (const { declaration: table, table: built } of tables.all()) {
        fn.addEnvironment(tableEnvVar(table.id), built.tableName);
      }
      for (const [bucketId, bucket] of [
        ['inbox', buckets.inbox],
        ['archive', buckets.archive],
        ['releases', buckets.releases],
      ] as const) {
        fn.addEnvironment(bucketEnvVar(bucketId), bucket.bucketName);
      }
      // The key ARN recordings are written with (an SSE-KMS request parameter); using it needs a grant.
      fn.addEnvironment(ENV.kmsRecordingsKeyId, keys.recordings.keyArn);
    }
    const t = (tableId: Parameters<Tables['get']>[0]) => tables.get(tableId);

    // Grants follow what each handler's code actually touches (its bundle's adapters), nothing more.
    // ingestApi: registers calls (business case and extension checks, idempotency records, counters),
    // pseudonymises the caller number, presigns the upload PUT into inbox/incoming/.
    const ingestApi = this.get('ingestApi');
    bindTable(ingestApi, t('catalogue'), 'write');
    bindTable(ingestApi, t('registers'), 'write');
    bindTable(ingestApi, t('holds'), 'read'); // a call past 24 months is taken only under an active hold
    bindBucket(ingestApi, 'inbox', buckets.inbox, ['put'], { prefix: INBOX_PREFIX.incoming });
    bindKey(ingestApi, keys.callerHmac, ENV.kmsHmacKeyId, ['generateMac']);

    // ingestWorker: verifies uploads, archives them with the first lock, or quarantines them.
    const ingestWorker = this.get('ingestWorker');
    bindTable(ingestWorker, t('catalogue'), 'write');
    bindTable(ingestWorker, t('registers'), 'write'); // report counters kept current at write time
    bindBucket(ingestWorker, 'inbox', buckets.inbox, ['read', 'put', 'delete']);
    bindBucket(ingestWorker, 'archive', buckets.archive, ['read', 'put', 'initialRetention'], {
      maxInitialRetentionDays: props.minRetentionDays,
      lockMode: props.archiveLockMode,
    });
    // A call registered under an IG hold: the worker asks the hold functions to apply it (no lock powers).
    bindQueue(ingestWorker, messaging.holdFanout, ENV.holdFanoutQueueUrl);
    ingestWorker.addEventSource(
      new SqsEventSource(messaging.inboxEvents, {
        batchSize: 5,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );

    // playback: search, playback and download links, nominated deletion, audit log and its queries.
    const playback = this.get('playback');
    bindTable(playback, t('catalogue'), 'write');
    bindTable(playback, t('auditLog'), 'append');
    // Deletion records of nominated deletes: written with the certificate, taken back (DeleteItem) when
    // the archive refuses to delete the version and the catalogue entry is restored.
    bindTable(playback, t('holds'), 'write');
    bindTable(playback, t('registers'), 'write'); // listeners join the staff-awareness register (s.4 a)
    bindBucket(playback, 'archive', buckets.archive, ['read', 'deleteVersion']);
    bindKey(playback, keys.callerHmac, ENV.kmsHmacKeyId, ['generateMac']);
    bindTable(playback, t('disclosures'), 'read'); // the IG advice a playback for purpose `other` cites

    // release: approval workflow, copies into the releases bucket, the signed Release of Recording Log.
    const release = this.get('release');
    bindTable(release, t('releases'), 'write');
    bindTable(release, t('releaseLog'), 'append');
    bindTable(release, t('catalogue'), 'read');
    bindTable(release, t('registers'), 'write'); // counters for the compliance report
    bindTable(release, t('auditLog'), 'append');
    bindBucket(release, 'archive', buckets.archive, ['read']);
    bindBucket(release, 'releases', buckets.releases, ['read', 'put', 'delete']);
    bindKey(release, keys.signing, ENV.kmsSigningKeyId, ['sign', 'getPublicKey']);
    // Each signed checkpoint is anchored in the archive (Object Lock), outside the table it signs.
    bindBucket(release, 'archive', buckets.archive, ['put'], { prefix: ARCHIVE_PREFIX.checkpoints });
    bindTable(release, t('disclosures'), 'read'); // the IG advice an external release cites

    // disclosures: IG advice records (s.6) and subject access requests (DPA 2018): the caller index across
    // areas (HMAC), the audit log, the Release of Recording Log, SAR packages (archive → releases, signed).
    const disclosures = this.get('disclosures');
    bindTable(disclosures, t('disclosures'), 'write');
    bindTable(disclosures, t('catalogue'), 'read');
    bindTable(disclosures, t('auditLog'), 'append');
    bindTable(disclosures, t('releaseLog'), 'append');
    bindKey(disclosures, keys.callerHmac, ENV.kmsHmacKeyId, ['generateMac']);
    bindKey(disclosures, keys.signing, ENV.kmsSigningKeyId, ['sign']);
    bindBucket(disclosures, 'archive', buckets.archive, ['read']);
    bindBucket(disclosures, 'releases', buckets.releases, ['read', 'put']);

    // legalHold and its fan-out worker: the only holders of legal-hold and retention-extension powers.
    for (const holdFn of [this.get('legalHold'), this.get('legalHoldWorker')]) {
      bindTable(holdFn, t('holds'), 'write');
      bindTable(holdFn, t('catalogue'), 'write'); // hold count per recording
      bindTable(holdFn, t('registers'), 'write'); // the compliance report's hold lists
      bindBucket(holdFn, 'archive', buckets.archive, ['legalHold'], { lockMode: props.archiveLockMode });
      bindQueue(holdFn, messaging.holdFanout, ENV.holdFanoutQueueUrl);
    }
    this.get('legalHoldWorker').addEventSource(
      new SqsEventSource(messaging.holdFanout, { batchSize: 10, reportBatchItemFailures: true }),
    );

    // registers: business cases, extensions, staff notices, /health.
    bindTable(this.get('registers'), t('registers'), 'write');

    // reports: read-only over every table it summarises (deletion certificates live in holds); its
    // reads list recording ids, so each one is audited.
    const reports = this.get('reports');
    for (const tableId of ['catalogue', 'releases', 'releaseLog', 'holds', 'registers'] as const) {
      bindTable(reports, t(tableId), 'read');
    }
    bindTable(reports, t('auditLog'), 'append');

    // sweepers (scheduled jobs of declarations/schedules.ts): 24-month deletion with certificates
    // and its cursor (holds table), release expiry and log checkpoints, hold reviews, staff reminders.
    const sweepers = this.get('sweepers');
    bindTable(sweepers, t('catalogue'), 'write');
    bindTable(sweepers, t('holds'), 'write');
    bindTable(sweepers, t('releases'), 'write');
    bindTable(sweepers, t('releaseLog'), 'append');
    bindTable(sweepers, t('registers'), 'write');
    bindTable(sweepers, t('auditLog'), 'append');
    bindTable(sweepers, t('disclosures'), 'read'); // the release jobs share the release deps (advice lookup)
    bindBucket(sweepers, 'archive', buckets.archive, ['deleteVersion']);
    // Release log and audit log checkpoints: read the newest anchored one, anchor the new one.
    bindBucket(sweepers, 'archive', buckets.archive, ['read', 'put'], { prefix: ARCHIVE_PREFIX.checkpoints });
    bindBucket(sweepers, 'releases', buckets.releases, ['delete']);
    bindKey(sweepers, keys.signing, ENV.kmsSigningKeyId, ['sign', 'getPublicKey']);
    bindTopic(sweepers, messaging.staffNotices, ENV.staffNoticesTopicArn, keys.data);

    // lifecycleEvents: turns lifecycle deletions into catalogue state and a deletion certificate.
    const lifecycleEvents = this.get('lifecycleEvents');
    bindTable(lifecycleEvents, t('catalogue'), 'write');
    bindTable(lifecycleEvents, t('holds'), 'write');

    // migrations (run on deploy by the stack's trigger): index keys for items from before their index.
    // Each UpdateItem may set only the key and index-key attributes its backfill writes (dynamodb:Attributes),
    // so the append-only audit log gains month-index keys and nothing else; the one Scan in the system
    // finds service areas without list keys (no index has them), on the registers table only.
    const migrations = this.get('migrations');
    const onlyAttributes = (names: readonly string[]) => ({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...names] },
    });
    bindTableGrants(
      migrations,
      t('auditLog'),
      [
        { actions: ['dynamodb:Query'] },
        { actions: ['dynamodb:UpdateItem'], conditions: onlyAttributes(INDEX_BACKFILL_ATTRIBUTES.auditLog) },
      ],
      true,
    );
    bindTableGrants(
      migrations,
      t('registers'),
      [
        { actions: ['dynamodb:Scan', 'dynamodb:GetItem'] },
        { actions: ['dynamodb:UpdateItem'], conditions: onlyAttributes(INDEX_BACKFILL_ATTRIBUTES.registers) },
        // The backfill's done marker, in its own partition.
        {
          actions: ['dynamodb:PutItem'],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [SERVICE_AREA_LIST_MARKER] },
          },
        },
      ],
      true,
    );
  }

  get(id: FunctionId | DeployFunctionId): RecordingFunction {
    const fn = this.byId.get(id);
    if (!fn) throw new Error(`function ${id} is not declared in declarations/functions.ts`);
    return fn;
  }

  all(): RecordingFunction[] {
    return [...this.byId.values()];
  }
}

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
