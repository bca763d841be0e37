import { Aws, Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../declarations/environment.js';
import { acknowledge, arnFinding } from './nag.js';
import type { RecordingFunction } from './recording-function.js';
import type { BuiltTable } from './tables.js';

export interface AuditEventsProps {
  /** The publisher (functions/audit-events). */
  readonly fn: RecordingFunction;
  /** The log tables whose streams it reads (each declared with `stream`). */
  readonly tables: readonly BuiltTable[];
  /** Where a batch that kept failing is recorded (shard and sequence range; the entries stay in the table). */
  readonly deadLetterQueue: IQueue;
  /** Name of the custom bus; default `crs-audit`. */
  readonly busName?: string;
  /** Alarm topic for a growing iterator age (events late to the SIEM). */
  readonly alarmTopic?: ITopic;
}

/** Retries of a failing batch before it is given up to the DLQ (with per-item failures, from the failed item). */
export const STREAM_RETRY_ATTEMPTS = 10;

/**
 * Audit events to the SIEM: DynamoDB Streams (NEW_IMAGE) of the access audit log and the Release of
 * Recording Log → the audit-events function → the custom EventBridge bus `crs-audit`, where the council
 * adds a rule to its SIEM (an API destination, a Firehose, a cross-account bus). Streams give at-least-once
 * delivery without touching the request path: an entry is published after it is written, retried with
 * per-item failures, and a batch that keeps failing lands in the DLQ (alarmed) while its entries stay in
 * the table for a replay from the export.
 */
export class AuditEvents extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: AuditEventsProps) {
    super(scope, id);
    const { fn } = props;
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: props.busName ?? 'crs-audit',
      description: 'Access audit log and Release of Recording Log entries, one event each, for the SIEM',
    });
    fn.addEnvironment(ENV.auditEventBusName, this.bus.eventBusName);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['events:PutEvents'], resources: [this.bus.eventBusArn] }),
    );

    acknowledge(
      props.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of the audit stream mappings (a DLQ of its own kind): it ' +
        'receives the shard and sequence range of a batch that kept failing; it has no DLQ of its own.',
    );
    for (const { declaration, table } of props.tables) {
      const streamArn = table.tableStreamArn;
      if (!streamArn) throw new Error(`table ${declaration.id} has no stream: declare \`stream\` on it`);
      // What the event source mapping reads with the function's role, on this stream only.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          resources: [streamArn],
        }),
      );
      // ListStreams as CDK's own DynamoEventSource grants it: on this table's streams, whose label
      // (the `/stream/<time>` part) DynamoDB mints when the stream is turned on.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:ListStreams'],
          resources: [`${table.tableArn}/stream/*`],
        }),
      );
      acknowledge(
        fn.role ?? fn,
        `AwsSolutions-IAM5[${arnFinding(table, 'stream/*')}]`,
        'dynamodb:ListStreams on the streams of this one table; the stream label is minted by DynamoDB ' +
          '(DescribeStream/GetRecords/GetShardIterator name the stream ARN itself).',
      );
      const key = table.encryptionKey;
      if (key) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['kms:Decrypt'],
            resources: [key.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
          }),
        );
      }
      fn.addEventSourceMapping(`${pascal(declaration.id)}Stream`, {
        eventSourceArn: streamArn,
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(props.deadLetterQueue),
        // New entries only: the logs are append-only, and MODIFYs are index back-fills.
        filters: [FilterCriteria.filter({ eventName: FilterRule.isEqual('INSERT') })],
      });
    }

    if (props.alarmTopic) {
      const alarm = new Alarm(this, 'IteratorAge', {
        alarmDescription:
          'Audit events reach the SIEM more than 15 minutes late (the publisher is failing or throttled)',
        metric: fn.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
        threshold: 15 * 60 * 1000,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new SnsAction(props.alarmTopic));
    }
  }
}

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
