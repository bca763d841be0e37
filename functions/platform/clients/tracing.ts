/**
 * AWS SDK calls as X-Ray subsegments, without the X-Ray SDK: `aws-xray-sdk-core`'s captureAWSv3Client
 * adds 117 KB to a bundle and Powertools Tracer 132 KB (measured, README "Traces"), which would put
 * playback and ingestWorker over the 250 KB budget. This middleware does what they do for SDK calls:
 * with tracing active (`_X_AMZN_TRACE_ID`, set by Lambda for each invocation, says `Sampled=1`), each
 * call (retries included) is sent to the X-Ray daemon (`AWS_XRAY_DAEMON_ADDRESS`, UDP) as a subsegment of
 * the function's segment: service, operation, region, request id, table/queue name, HTTP status, and
 * error (4xx), throttle (429) or fault (5xx). Unsampled or untraced (tests, the local stack): nothing.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { ENV } from '../../../declarations/environment.js';
import { optionalEnv } from '../env.js';

interface Trace {
  readonly root: string;
  readonly parent: string;
}

/** `Root=1-…;Parent=…;Sampled=1` → root and parent, when sampled. */
export const sampledTrace = (header = optionalEnv(ENV.xrayTraceId)): Trace | undefined => {
  const fields = Object.fromEntries(
    (header ?? '').split(';').map((part) => part.split('=') as [string, string | undefined]),
  );
  return fields.Root && fields.Parent && fields.Sampled === '1'
    ? { root: fields.Root, parent: fields.Parent }
    : undefined;
};

/** `169.254.79.129:2000` or `tcp:… udp:169.254.79.129:2000` → the UDP address. */
const daemonAddress = (): { host: string; port: number } | undefined => {
  const raw = optionalEnv(ENV.xrayDaemonAddress);
  if (!raw) return undefined;
  const udp = raw.split(' ').find((p) => p.startsWith('udp:')) ?? raw;
  const match = /([^:\s]+):(\d+)$/.exec(udp.replace(/^udp:/, ''));
  return match ? { host: match[1] as string, port: Number(match[2]) } : undefined;
};

let socket: Socket | undefined;
const send = (document: unknown): void => {
  const address = daemonAddress();
  if (!address) return;
  if (!socket) {
    socket = createSocket('udp4');
    socket.on('error', () => undefined);
    socket.unref();
  }
  socket.send(`{"format":"json","version":1}\n${JSON.stringify(document)}`, address.port, address.host);
};

interface Metadata {
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly attempts?: number;
}

const strip = (name: unknown, suffix: string): string =>
  String(name ?? '').replace(new RegExp(`${suffix}$`), '');

// biome-ignore lint/suspicious/noExplicitAny: SDK middleware signatures differ per client; this one is generic.
type Next = (args: any) => Promise<any>;

const subsegmentMiddleware =
  (next: Next, context: { clientName?: string; commandName?: string }) =>
  async (args: { input?: Record<string, unknown> }) => {
    const trace = sampledTrace();
    if (!trace) return next(args);
    const start = Date.now() / 1000;
    // The error's type only: an SDK message may quote a request's values.
    const record = (metadata: Metadata | undefined, error?: { name?: string }) => {
      const status = metadata?.httpStatusCode;
      const input = args.input ?? {};
      send({
        id: randomBytes(8).toString('hex'),
        trace_id: trace.root,
        parent_id: trace.parent,
        type: 'subsegment',
        name: strip(context.clientName, 'Client'),
        namespace: 'aws',
        start_time: start,
        end_time: Date.now() / 1000,
        aws: {
          operation: strip(context.commandName, 'Command'),
          region: optionalEnv(ENV.awsRegion),
          request_id: metadata?.requestId,
          retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
          ...(typeof input.TableName === 'string' ? { table_name: input.TableName } : {}),
          ...(typeof input.QueueUrl === 'string' ? { queue_url: input.QueueUrl } : {}),
        },
        ...(status ? { http: { response: { status } } } : {}),
        ...(error
          ? {
              ...(status === 429 ? { throttle: true, error: true } : {}),
              ...(status && status >= 400 && status < 500 ? { error: true } : { fault: true }),
              cause: { exceptions: [{ id: randomBytes(8).toString('hex'), type: error.name }] },
            }
          : {}),
      });
    };
    try {
      const result = await next(args);
      // No metadata: nothing was sent (a presigned URL was built), so there is no call to trace.
      if (result?.output?.$metadata?.httpStatusCode) record(result.output.$metadata);
      return result;
    } catch (error) {
      record((error as { $metadata?: Metadata }).$metadata, error as Error);
      throw error;
    }
  };

/** Adds the subsegment middleware to a client (once, at construction) and returns the client. */
export const traced = <C extends { middlewareStack: { add(m: unknown, o: unknown): void } }>(
  client: C,
): C => {
  client.middlewareStack.add(subsegmentMiddleware, { step: 'initialize', name: 'xraySubsegment' });
  return client;
};
