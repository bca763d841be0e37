/**
 * SDK calls as X-Ray subsegments: with a sampled trace, each call is sent to the daemon (UDP) as a
 * subsegment of the function's segment; unsampled, nothing is sent.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { sampledTrace, traced } from '../../../functions/platform/clients/tracing.js';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT = '53995c3f42cd8ad8';

let daemon: Socket;
let dynamo: Server;
let client: DynamoDBClient;
const received: string[] = [];

beforeAll(async () => {
  daemon = createSocket('udp4');
  daemon.on('message', (m) => received.push(m.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${daemon.address().port}`;
  // A DynamoDB that answers GetItem with no item and refuses every PutItem's condition.
  dynamo = createServer((req, res) => {
    const put = String(req.headers['x-amz-target']).endsWith('PutItem');
    req.resume();
    req.on('end', () => {
      res.writeHead(put ? 400 : 200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': put ? 'req-put' : 'req-get',
      });
      res.end(
        put
          ? JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' })
          : '{}',
      );
    });
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', resolve));
  client = traced(
    new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    }),
  );
});

afterAll(async () => {
  client.destroy();
  daemon.close();
  await new Promise((resolve) => dynamo.close(resolve));
  delete process.env._X_AMZN_TRACE_ID;
  delete process.env.AWS_XRAY_DAEMON_ADDRESS;
});

beforeEach(() => {
  received.length = 0;
});

const documents = async (count: number) => {
  for (let i = 0; i < 100 && received.length < count; i += 1) await new Promise((r) => setTimeout(r, 20));
  return received.map((r) => {
    const [header, body] = r.split('\n');
    expect(JSON.parse(header as string)).toEqual({ format: 'json', version: 1 });
    return JSON.parse(body as string);
  });
};

describe('X-Ray subsegments of SDK calls', () => {
  it('sends a call of a sampled invocation as a subsegment of the function segment', async () => {
    // Arrange
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=1`;

    // Act
    await client.send(new GetItemCommand({ TableName: 'crs-audit', Key: { k: { S: 'a' } } }));

    // Assert
    const [doc] = await documents(1);
    expect(doc).toEqual(
      expect.objectContaining({
        type: 'subsegment',
        trace_id: ROOT,
        parent_id: PARENT,
        name: 'DynamoDB',
        namespace: 'aws',
        aws: expect.objectContaining({
          operation: 'GetItem',
          request_id: 'req-get',
          table_name: 'crs-audit',
        }),
        http: { response: { status: 200 } },
      }),
    );
    expect(doc.id).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.end_time).toBeGreaterThanOrEqual(doc.start_time);
  });

  it('marks a refused call as an error, naming the exception', async () => {
    // Arrange
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=1`;

    // Act
    const sent = client.send(new PutItemCommand({ TableName: 't', Item: { k: { S: 'a' } } }));

    // Assert
    await expect(sent).rejects.toThrow();
    const [doc] = await documents(1);
    expect(doc).toEqual(
      expect.objectContaining({
        error: true,
        http: { response: { status: 400 } },
        cause: { exceptions: [expect.objectContaining({ type: 'ConditionalCheckFailedException' })] },
      }),
    );
    expect(doc.fault).toBeUndefined();
  });

  it('sends nothing when the invocation is not sampled', async () => {
    // Arrange
    process.env._X_AMZN_TRACE_ID = `Root=${ROOT};Parent=${PARENT};Sampled=0`;

    // Act
    await client.send(new GetItemCommand({ TableName: 't', Key: { k: { S: 'a' } } }));
    await new Promise((r) => setTimeout(r, 200));

    // Assert
    expect(received).toEqual([]);
    expect(sampledTrace()).toBeUndefined();
  });
});
