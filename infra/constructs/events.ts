import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { INBOX_PREFIX } from '../../declarations/buckets.js';
import { SCHEDULES, type ScheduledJobEvent } from '../../declarations/schedules.js';
import type { Buckets } from './buckets.js';
import type { Functions } from './functions.js';
import type { Messaging } from './messaging.js';
import { acknowledge } from './nag.js';

export interface EventsProps {
  readonly buckets: Buckets;
  readonly messaging: Messaging;
  readonly functions: Functions;
}

/**
 * What happens without a request: uploads in the inbox queue an ingest message, lifecycle deletions in
 * the archive reach the lifecycle-events function, and the scheduled jobs run the sweepers.
 */
export class Events extends Construct {
  readonly lifecycleDeletions: Rule;
  readonly schedules: Rule[] = [];

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);
    const { buckets, messaging, functions } = props;

    // S3 event notification in its native shape (Records[]), delivered through SQS to the ingest worker.
    buckets.inbox.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(messaging.inboxEvents), {
      prefix: INBOX_PREFIX.incoming,
    });
    acknowledgeNotificationsHandler(this);

    // The archive sends all its events to EventBridge (eventBridgeEnabled); only lifecycle expiries
    // matter here: the sweeper records its own deletions, lifecycle deletions are the backstop's.
    this.lifecycleDeletions = new Rule(this, 'ArchiveLifecycleDeletions', {
      description: 'Archive objects expired by S3 lifecycle -> catalogue + deletion certificate',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Deleted'],
        detail: {
          bucket: { name: [buckets.archive.bucketName] },
          reason: ['Lifecycle Expiration'],
        },
      },
    });
    this.lifecycleDeletions.addTarget(
      new LambdaFunction(functions.get('lifecycleEvents'), {
        deadLetterQueue: messaging.asyncFailures,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );

    for (const schedule of SCHEDULES) {
      const rule = new Rule(this, `Schedule-${schedule.job}`, {
        description: schedule.description,
        schedule: Schedule.cron({
          minute: schedule.cron.minute,
          hour: schedule.cron.hour,
          ...(schedule.cron.weekDay ? { weekDay: schedule.cron.weekDay } : {}),
        }),
      });
      const input: ScheduledJobEvent = { job: schedule.job };
      rule.addTarget(
        new LambdaFunction(functions.get(schedule.function), {
          event: RuleTargetInput.fromObject(input),
          deadLetterQueue: messaging.asyncFailures,
          retryAttempts: 2,
        }),
      );
      this.schedules.push(rule);
    }
  }
}

/**
 * The S3 notification is configured by CDK's singleton custom resource (BucketNotificationsHandler),
 * which CloudFormation runs at deploy time only.
 */
const acknowledgeNotificationsHandler = (scope: Construct): void => {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
  if (!handler) return;
  acknowledge(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "CDK's BucketNotificationsHandler custom resource (deploy-time only, not invocable by users) uses the " +
      'AWS managed basic execution role to write its own CloudWatch logs; CDK does not let it be replaced.',
  );
};
