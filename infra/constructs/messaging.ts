import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MessagingProps {
  readonly dataKey: IKey;
  /** Timeout of the function consuming each work queue; visibility is six times that (AWS guidance). */
  readonly ingestWorkerTimeout: Duration;
  readonly holdWorkerTimeout: Duration;
}

/** How often a message is tried before it moves to its DLQ. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * Queues and the notices topic.
 * Queues use SQS-managed SSE: S3 event notifications cannot be delivered to a queue encrypted with a
 * customer key unless that key's policy trusts S3, and messages carry only object keys and ids.
 * DLQs keep messages for the SQS maximum of 14 days, the same window the inbox keeps unprocessed audio.
 */
export class Messaging extends Construct {
  readonly inboxEvents: Queue;
  readonly inboxEventsDlq: Queue;
  readonly holdFanout: Queue;
  readonly holdFanoutDlq: Queue;
  /** Failed asynchronous invocations (schedules, EventBridge) of sweepers and lifecycleEvents. */
  readonly asyncFailures: Queue;
  /** Stream batches of the audit-events publisher that kept failing (shard and sequence range). */
  readonly auditEventsDlq: Queue;
  readonly staffNotices: Topic;

  constructor(scope: Construct, id: string, props: MessagingProps) {
    super(scope, id);
    const dlq = (name: string) =>
      new Queue(this, name, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.inboxEventsDlq = dlq('InboxEventsDlq');
    this.inboxEvents = new Queue(this, 'InboxEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.ingestWorkerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.inboxEventsDlq, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.holdFanoutDlq = dlq('HoldFanoutDlq');
    this.holdFanout = new Queue(this, 'HoldFanout', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: Duration.seconds(props.holdWorkerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.holdFanoutDlq, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.asyncFailures = dlq('AsyncFailuresDlq');
    this.auditEventsDlq = dlq('AuditEventsDlq');

    this.staffNotices = new Topic(this, 'StaffNotices', {
      displayName: 'Call recording: staff awareness notices due',
      masterKey: props.dataKey,
      enforceSSL: true,
    });
  }

  get deadLetterQueues(): Record<string, Queue> {
    return {
      InboxEventsDlq: this.inboxEventsDlq,
      HoldFanoutDlq: this.holdFanoutDlq,
      AsyncFailuresDlq: this.asyncFailures,
      AuditEventsDlq: this.auditEventsDlq,
    };
  }
}
