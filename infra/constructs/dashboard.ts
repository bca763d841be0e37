/**
 * The operations dashboard: what the policy's owners ask first (how many uploads, quarantines and why,
 * playbacks, refusals by rule, releases by state, holds, deletions) and what on-call watches (DLQ depth,
 * audit append latency). The metrics are the functions' EMF metrics (declarations/metrics.ts);
 * those with a dimension are drawn with one SEARCH per widget, so a new reason, rule or state shows up
 * without a change here.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Dashboard as CwDashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ARCHIVED_METRIC,
  AUDIT_APPEND_LATENCY_METRIC,
  DENIALS_METRIC,
  HOLDS_METRIC,
  LINKS_METRIC,
  METRIC_NAMESPACE,
  QUARANTINED_METRIC,
  RELEASES_METRIC,
  SWEEPER_DELETIONS_METRIC,
  UPLOADS_METRIC,
} from '../../declarations/metrics.js';

export interface DashboardProps {
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
}

const PERIOD = Duration.minutes(5);

const metric = (metricName: string, statistic = 'Sum'): Metric =>
  new Metric({ namespace: METRIC_NAMESPACE, metricName, period: PERIOD, statistic });

/** Every series of `metricName`, one per value of `dimension`. */
const byDimension = (metricName: string, dimension: string): IMetric =>
  new MathExpression({
    expression: `SEARCH('{${METRIC_NAMESPACE},${dimension}} MetricName="${metricName}"', 'Sum', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label: `by ${dimension}`,
    period: PERIOD,
  });

export class Dashboard extends Construct {
  readonly dashboard: CwDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const graph = (title: string, left: IMetric[]) => new GraphWidget({ title, left, width: 8, height: 6 });
    this.dashboard = new CwDashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          graph('Uploads registered / archived', [
            metric(UPLOADS_METRIC),
            byDimension(ARCHIVED_METRIC, 'serviceArea'),
          ]),
          graph('Quarantines by reason', [byDimension(QUARANTINED_METRIC, 'reason')]),
          graph('Playbacks and downloads', [byDimension(LINKS_METRIC, 'mode')]),
        ],
        [
          graph('Denials by policy rule', [byDimension(DENIALS_METRIC, 'rule')]),
          graph('Releases by state', [byDimension(RELEASES_METRIC, 'state')]),
          graph('Holds placed / lifted', [byDimension(HOLDS_METRIC, 'action')]),
        ],
        [
          graph('Sweeper deletions', [metric(SWEEPER_DELETIONS_METRIC)]),
          graph(
            'Dead-letter queue depth',
            Object.entries(props.deadLetterQueues).map(([name, queue]) =>
              queue.metricApproximateNumberOfMessagesVisible({
                period: PERIOD,
                statistic: 'Maximum',
                label: name,
              }),
            ),
          ),
          graph('Audit append latency (ms)', [
            metric(AUDIT_APPEND_LATENCY_METRIC, 'p50'),
            metric(AUDIT_APPEND_LATENCY_METRIC, 'p99'),
          ]),
        ],
      ],
    });
  }
}
