/** The operations dashboard draws every figure the issue asks for from metrics the functions publish. */
import {
  AUDIT_APPEND_LATENCY_METRIC,
  DENIALS_METRIC,
  HOLDS_METRIC,
  LINKS_METRIC,
  QUARANTINED_METRIC,
  RELEASES_METRIC,
  SWEEPER_DELETIONS_METRIC,
  UPLOADS_METRIC,
} from '../../declarations/metrics.js';
import { type Built, buildStack } from './fixture.js';

let built: Built;
beforeAll(() => {
  built = buildStack();
}, 120_000);

const body = (): string => {
  const dashboards = built.template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  return JSON.stringify(Object.values(dashboards)[0]?.Properties.DashboardBody);
};

describe('the operations dashboard', () => {
  it.each([
    ['uploads', UPLOADS_METRIC],
    ['quarantines by reason', QUARANTINED_METRIC],
    ['playbacks', LINKS_METRIC],
    ['denials by rule', DENIALS_METRIC],
    ['releases by state', RELEASES_METRIC],
    ['holds', HOLDS_METRIC],
    ['sweeper deletions', SWEEPER_DELETIONS_METRIC],
    ['audit append latency', AUDIT_APPEND_LATENCY_METRIC],
  ])('shows %s', (_what, metricName) => {
    expect(body()).toContain(metricName);
  });

  it('breaks quarantines down by reason, denials by rule and releases by state', () => {
    const text = body();
    expect(text).toMatch(/SEARCH\('\{CallRecordingGovernance,reason\} MetricName=\\+"RecordingsQuarantined/);
    expect(text).toMatch(/SEARCH\('\{CallRecordingGovernance,rule\} MetricName=\\+"RequestsDenied/);
    expect(text).toMatch(/SEARCH\('\{CallRecordingGovernance,state\} MetricName=\\+"ReleaseTransitions/);
  });

  it('shows the depth of every dead-letter queue', () => {
    const text = body();
    const dlqs = Object.keys(built.template.findResources('AWS::SQS::Queue')).filter((id) =>
      /dlq|dead/i.test(id),
    );
    expect(dlqs.length).toBeGreaterThan(0);
    for (const id of dlqs) expect(text).toContain(id);
    expect(text).toContain('ApproximateNumberOfMessagesVisible');
  });
});
