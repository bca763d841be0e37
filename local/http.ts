/** Small helpers shared by the local HTTP servers. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Component } from './config.js';
import { HOST } from './config.js';
import { StartupError } from './errors.js';
import { busyPortMessage } from './preflight.js';

export class BodyTooLargeError extends Error {}

export const readBody = async (req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(`request body over ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

export const sendText = (res: ServerResponse, status: number, text: string, contentType: string): void => {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * Idle keep-alive sockets stay open for two minutes, not Node's 5 s. A client whose event loop is blocked
 * (jest running a CDK synth for 15 s in the same process) has not yet seen the server close a pooled
 * socket and sends its next POST on it: "other side closed". Two minutes outlasts any such stall.
 */
export const IDLE_KEEP_ALIVE_MS = 120_000;

export interface Listening {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1; a busy port becomes the one-line start-up error. */
export const listen = (
  component: Component,
  port: number,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Listening> =>
  new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new StartupError(busyPortMessage(component, port)) : error);
    });
    server.listen(port, HOST, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
