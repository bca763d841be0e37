/**
 * Audit events to the SIEM in the stack: the two log tables stream their new items to the audit-events
 * function, which may put events on the `crs-audit` bus and nothing else; a batch that keeps failing is
 * recorded in an alarmed DLQ; a growing iterator age (events late to the SIEM) alarms too.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { FUNCTIONS } from '../../declarations/functions.js';
import { STREAM_RETRY_ATTEMPTS } from '../../infra/constructs/audit-events.js';
import { type Built, buildStack, grants, logicalIdOf, statementsOfFunction } from './fixture.js';

let built: Built;
let ids: { auditLog: string; releaseLog: string; bus: string; dlq: string; fn: string };

beforeAll(() => {
  built = buildStack();
  const { stack } = built;
  ids = {
    auditLog: logicalIdOf(stack, stack.tables.get('auditLog').table),
    releaseLog: logicalIdOf(stack, stack.tables.get('releaseLog').table),
    bus: logicalIdOf(stack, stack.auditEvents.bus),
    dlq: logicalIdOf(stack, stack.messaging.auditEventsDlq),
    fn: logicalIdOf(stack, stack.functions.get('auditEvents')),
  };
});

describe('audit events to the SIEM', () => {
  it('streams new items of the audit and release log tables, and of no other table', () => {
    const streamed = Object.entries(built.json.Resources)
      .filter(([, r]) => r.Type === 'AWS::DynamoDB::Table' && r.Properties?.StreamSpecification)
      .map(([id, r]) => [id, r.Properties?.StreamSpecification.StreamViewType]);

    expect(streamed.sort()).toEqual(
      [
        [ids.auditLog, 'NEW_IMAGE'],
        [ids.releaseLog, 'NEW_IMAGE'],
      ].sort(),
    );
  });

  it.each(['auditLog', 'releaseLog'] as const)(
    'maps the %s stream to the function: INSERTs only, per-item failures, retries, then the DLQ',
    (table) => {
      built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: ids.fn },
        EventSourceArn: { 'Fn::GetAtt': [ids[table], 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } } },
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      });
    },
  );

  it('creates the custom bus crs-audit', () => {
    built.template.hasResourceProperties('AWS::Events::EventBus', { Name: 'crs-audit' });
  });

  it('lets the publisher put events on the audit bus, read the two streams, and nothing more', () => {
    const statements = grants(statementsOfFunction(built, 'auditEvents'));
    const held = statements
      .filter((g) => !/^(logs|xray):/.test(g.action))
      .map((g) => `${g.action} ${g.resource}`)
      .sort();

    expect(held).toEqual(
      [
        `events:PutEvents <${ids.bus}.Arn>`,
        ...(['auditLog', 'releaseLog'] as const).flatMap((t) => [
          `dynamodb:DescribeStream <${ids[t]}.StreamArn>`,
          `dynamodb:GetRecords <${ids[t]}.StreamArn>`,
          `dynamodb:GetShardIterator <${ids[t]}.StreamArn>`,
          `dynamodb:ListStreams <${ids[t]}.Arn>/stream/*`,
        ]),
        // Stream records of tables encrypted with the data key, read through DynamoDB only.
        `kms:Decrypt <${logicalIdOf(built.stack, built.stack.keys.data)}.Arn>`,
        // The on-failure destination (SqsDlq grants what Lambda needs to send the batch record).
        `sqs:GetQueueAttributes <${ids.dlq}.Arn>`,
        `sqs:GetQueueUrl <${ids.dlq}.Arn>`,
        `sqs:SendMessage <${ids.dlq}.Arn>`,
      ].sort(),
    );
    expect(statements.find((g) => g.action === 'kms:Decrypt')?.condition).toEqual({
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    });
  });

  it('lets no other function put events on the bus', () => {
    const putters = FUNCTIONS.map((f) => f.id).filter((fn) =>
      grants(statementsOfFunction(built, fn)).some((g) => g.action === 'events:PutEvents'),
    );

    expect(putters).toEqual(['auditEvents']);
  });

  it('alarms on a batch given up to the DLQ and on events late to the SIEM', () => {
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
    });
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: Match.arrayWith([{ Name: 'FunctionName', Value: { Ref: ids.fn } }]),
      Threshold: 15 * 60 * 1000,
    });
  });
});
