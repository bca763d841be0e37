import { Aws, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, QUARANTINED_METRIC } from '../../declarations/metrics.js';
import { QUARANTINE_REASONS } from '../../functions/domain/upload.js';
import type { RecordingFunction } from './recording-function.js';

export interface AlarmsProps {
  readonly functions: readonly RecordingFunction[];
  /** Dead-letter queues by a readable name. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly dataKey: IKey;
}

/**
 * Alarms that mean "something is being lost or refused": any message in a DLQ (a recording not
 * archived, a hold not applied, a deletion not certified), any recording quarantined instead of archived
 * (audio with no registration, or audio that does not match its registration), and any function error or
 * throttle.
 * They notify the `Alarms` topic; operators subscribe to it after deploy (infra/README.md).
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Call recording: operational alarms',
      masterKey: props.dataKey,
      enforceSSL: true,
    });
    // CloudWatch publishes to the encrypted topic with the data key; only for alarms of this account.
    props.dataKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'], // in a key policy, `*` means this key
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    const action = new SnsAction(this.topic);

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        new Alarm(this, `${name}Depth`, {
          alarmDescription: `${name} holds messages that failed processing: inspect, fix, redrive (infra/README.md)`,
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        action,
      );
    }
    // The functions publish one metric per reason (a dimension); the alarm adds them all up.
    const perReason = Object.fromEntries(
      QUARANTINE_REASONS.map((reason, i) => [
        `q${i}`,
        new Metric({
          namespace: METRIC_NAMESPACE,
          metricName: QUARANTINED_METRIC,
          dimensionsMap: { reason },
          period: Duration.minutes(5),
          statistic: 'Sum',
        }),
      ]),
    );
    this.add(
      new Alarm(this, 'RecordingsQuarantined', {
        alarmDescription:
          'audio was quarantined instead of archived: see quarantine/<id>.reason.json in the inbox bucket (infra/README.md)',
        metric: new MathExpression({
          expression: Object.keys(perReason)
            .map((id) => `FILL(${id}, 0)`)
            .join(' + '),
          usingMetrics: perReason,
          period: Duration.minutes(5),
          label: 'recordings quarantined',
        }),
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      action,
    );
    for (const fn of props.functions) {
      this.add(
        new Alarm(this, `${fn.functionId}Errors`, {
          alarmDescription: `${fn.functionId} function errors`,
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        action,
      );
      this.add(
        new Alarm(this, `${fn.functionId}Throttles`, {
          alarmDescription: `${fn.functionId} function throttled`,
          metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
          threshold: 0,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
        action,
      );
    }
  }

  private add(alarm: Alarm, action: SnsAction): void {
    alarm.addAlarmAction(action);
    this.alarms.push(alarm);
  }
}
