import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { FunctionId } from '../../../declarations/functions.js';
import { configFromEnv, QUEUES } from '../../../local/config.js';
import type { InvokeOutcome } from '../../../local/invoke.js';
import { consumersWhenReady, QueueService } from '../../../local/queues.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface SqsEvent {
  Records: {
    messageId: string;
    body: string;
    attributes: { ApproximateReceiveCount: string };
    eventSource: string;
  }[];
}

/** A queue service whose function is `handle`, with redelivery after 5 ms. */
const serviceWith = (handle: (event: SqsEvent) => unknown, start = true) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'queues-test-'));
  dirs.push(dataDir);
  const invoke = async (_id: FunctionId, event: unknown): Promise<InvokeOutcome> => {
    try {
      return { ok: true, value: await handle(event as SqsEvent), requestId: 'r', ms: 0 };
    } catch (error) {
      return { ok: false, kind: 'error', message: String(error), requestId: 'r', ms: 0, error };
    }
  };
  const service = new QueueService({ config: { ...configFromEnv({}), dataDir }, invoke, retryDelayMs: 5 });
  if (start) service.start();
  return service;
};

const silenceErrors = () => jest.spyOn(console, 'error').mockImplementation(() => undefined);
afterEach(() => jest.restoreAllMocks());

describe('local SQS delivery', () => {
  it('delivers a message to the queue’s function as an SQS event', async () => {
    // Arrange
    const seen: SqsEvent[] = [];
    const service = serviceWith((event) => {
      seen.push(event);
    });

    // Act
    service.enqueue(QUEUES.holdFanout.name, '{"holdId":"h1"}');
    await service.whenIdle(5000);
    await service.stop();

    // Assert
    expect(seen).toHaveLength(1);
    expect(seen[0]?.Records[0]).toEqual(
      expect.objectContaining({
        body: '{"holdId":"h1"}',
        eventSource: 'aws:sqs',
        attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      }),
    );
  });

  it('redelivers only the messages named in batchItemFailures', async () => {
    // Arrange
    const receipts: string[] = [];
    const service = serviceWith((event) => {
      receipts.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      const failed = event.Records.filter(
        (r) => r.body === 'bad' && r.attributes.ApproximateReceiveCount === '1',
      );
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.messageId })) };
    });

    // Act
    service.enqueue(QUEUES.holdFanout.name, 'good');
    service.enqueue(QUEUES.holdFanout.name, 'bad');
    await service.whenIdle(5000);
    await service.stop();

    // Assert
    expect(receipts.sort()).toEqual(['bad#1', 'bad#2', 'good#1']);
  });

  it('moves a message to the DLQ after maxReceiveCount failed receives', async () => {
    // Arrange
    silenceErrors();
    let calls = 0;
    const service = serviceWith(() => {
      calls++;
      throw new Error('handler bug');
    });

    // Act
    service.enqueue(QUEUES.inboxEvents.name, 'poison');
    await service.whenIdle(5000);
    await service.stop();

    // Assert
    expect(calls).toBe(QUEUES.inboxEvents.maxReceiveCount);
    const inbox = service.snapshot().find((q) => q.name === QUEUES.inboxEvents.name);
    expect(inbox?.dlq).toEqual([
      expect.objectContaining({ body: 'poison', receiveCount: QUEUES.inboxEvents.maxReceiveCount }),
    ]);
  });
});

describe('local queue consumers start only when every dependency answers', () => {
  it('keeps messages, delivering none, until the consumers are started', async () => {
    // Arrange
    const seen: SqsEvent[] = [];
    const service = serviceWith((event) => {
      seen.push(event);
    }, false);
    // Act
    service.enqueue(QUEUES.holdFanout.name, '{"holdId":"early"}');
    await new Promise((r) => setTimeout(r, 200));
    const beforeStart = seen.length;
    service.start();
    await service.whenIdle(5000);
    await service.stop();
    // Assert
    expect(beforeStart).toBe(0);
    expect(seen).toHaveLength(1);
  });

  it('starts the consumers only after a slow dependency (DynamoDB Local after a restart) first answers', async () => {
    // Arrange: DynamoDB refuses its first three probes
    let dynamoCalls = 0;
    const started: number[] = [];
    const probes = {
      dynamodb: async () => {
        dynamoCalls += 1;
        if (dynamoCalls <= 3) throw new Error('connection refused');
      },
      s3: async () => undefined,
    };
    // Act
    await consumersWhenReady(probes, { start: () => started.push(dynamoCalls) }, 5000, 5);
    // Assert
    expect(started).toEqual([4]);
  });

  it('never starts the consumers when a dependency does not answer, and names it', async () => {
    const start = jest.fn();
    const probes = {
      dynamodb: async () => {
        throw new Error('connection refused');
      },
      kms: async () => undefined,
    };
    await expect(consumersWhenReady(probes, { start }, 50, 5)).rejects.toThrow(
      'queue consumers not started: dynamodb did not answer',
    );
    expect(start).not.toHaveBeenCalled();
  });
});
