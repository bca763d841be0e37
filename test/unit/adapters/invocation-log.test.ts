/**
 * Log lines of the functions that are not HTTP routes (queue consumers, schedules) carry the correlation
 * id (the message id, or the job run's request id), the Lambda request id and the cold-start flag.
 */
import { jest } from '@jest/globals';
import type { Context, SQSEvent } from 'aws-lambda';
import { buildWorker } from '../../../functions/legal-hold/fanout.js';
import type { HoldDeps } from '../../../functions/legal-hold/use-cases.js';
import { withInvocationLog } from '../../../functions/platform/log.js';
import { loggedSweeper } from '../../../functions/sweepers/handler.js';
import { setIngestEnv } from '../ingest/env.js';

setIngestEnv();
const { handler: ingestWorker } = await import('../../../functions/ingest/worker.js');

const captured: string[] = [];
beforeEach(() => {
  captured.length = 0;
  delete process.env.LOG_LEVEL;
  jest.spyOn(console, 'log').mockImplementation((line: string) => void captured.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void captured.push(line));
});
afterEach(() => jest.restoreAllMocks());

const lines = () =>
  captured
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.message !== undefined && l._aws === undefined);
const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'crs-test' }) as Context;
const sqs = (...bodies: [string, string][]): SQSEvent =>
  ({
    Records: bodies.map(([messageId, body]) => ({ messageId, body, attributes: {} })),
  }) as unknown as SQSEvent;

describe('log context outside HTTP', () => {
  it('gives every sweeper line the job, the run id as correlation id, the request id and cold start', async () => {
    // Arrange
    const { log } = await import('../../../functions/platform/log.js');
    const handler = loggedSweeper({
      tidy: async () => {
        log.info('tidying');
        return 1;
      },
    });

    // Act
    await handler({ job: 'tidy' }, context('run-1'));
    await handler({ job: 'tidy' }, context('run-2'));

    // Assert
    const ours = lines();
    expect(ours.map((l) => [l.message, l.job, l.correlationId, l.requestId, l.coldStart])).toEqual([
      ['tidying', 'tidy', 'run-1', 'run-1', true],
      ['sweeper job done', 'tidy', 'run-1', 'run-1', true],
      ['tidying', 'tidy', 'run-2', 'run-2', false],
      ['sweeper job done', 'tidy', 'run-2', 'run-2', false],
    ]);
  });

  it("gives each ingest worker line its message's id as correlation id, with the batch's request id", async () => {
    // Act
    await ingestWorker(
      sqs(
        ['msg-a', JSON.stringify({ Event: 's3:TestEvent' })],
        ['msg-b', JSON.stringify({ Event: 's3:TestEvent' })],
      ),
      context('batch-1'),
    );

    // Assert
    const ours = lines();
    expect(ours).toHaveLength(2);
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ correlationId: 'msg-a', messageId: 'msg-a', requestId: 'batch-1' }),
        expect.objectContaining({ correlationId: 'msg-b', messageId: 'msg-b', requestId: 'batch-1' }),
      ]),
    );
    for (const line of ours) expect(typeof line.coldStart).toBe('boolean');
  });

  it("gives a hold fan-out failure line its message's id as correlation id", async () => {
    // Arrange: the deps are never reached, the body is not JSON.
    const worker = withInvocationLog(buildWorker({} as HoldDeps));

    // Act
    const result = await worker(sqs(['msg-c', 'not json']), context('batch-2'));

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'msg-c' }]);
    expect(lines()).toEqual([
      expect.objectContaining({
        message: 'hold fan-out message failed',
        correlationId: 'msg-c',
        requestId: 'batch-2',
        coldStart: expect.any(Boolean),
      }),
    ]);
  });
});
